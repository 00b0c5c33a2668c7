#!/usr/bin/env bash
# Installs whatever is missing, builds the release and serves it on http://127.0.0.1:8080/
# (local IndexedDB mode, no configuration). PORT=9000 scripts/serve.sh picks another port.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
exec node scripts/static-server.mjs --dir dist --port "${PORT:-8080}" --csp-header
