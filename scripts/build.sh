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

# Leptos's `erase_components`: every component's view becomes a type-erased `AnyView` instead
# of one nested generic type per component, so the release has far fewer monomorphised copies
# of the renderer. Measured on this app (scripts/size-report.mjs): the wasm went from 834.0 to
# 719.2 KiB brotli (2,915 to 2,544 KiB raw), the first visit from 963.8 to 831.3 KiB on the
# wire. The browser tests build without it (the cfg only changes how views are typed); the
# end-to-end tests run this build. An outer RUSTFLAGS is kept and added to.
export RUSTFLAGS="${RUSTFLAGS:+$RUSTFLAGS }--cfg erase_components"
# The wasm is split into the main module and chunks loaded on demand (scripts/build-split.mjs,
# which runs Trunk for the HTML, CSS and assets).
node scripts/build-split.mjs --dist target/trunk-dist
node scripts/postbuild.mjs --in target/trunk-dist --out "$out" --base "$base"
