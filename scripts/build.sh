#!/usr/bin/env bash
# Builds the release files into dist/ (or --out DIR) for serving from --base (default /).
# Expects the tools that scripts/setup.sh installs.
#   scripts/build.sh                      # dist/ for the site root
#   scripts/build.sh --base /console/     # dist/ for https://example.com/console/
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

base=/
out=dist
while [ $# -gt 0 ]; do
  case "$1" in
    --base) base="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "build.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

trunk --skip-version-check build --release --dist target/trunk-dist --public-url /
node scripts/postbuild.mjs --in target/trunk-dist --out "$out" --base "$base"
