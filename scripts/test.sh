#!/usr/bin/env bash
# Installs whatever is missing, then runs every check and every test layer:
#   formatting and clippy (host and wasm32), native `cargo test`, browser tests
#   (wasm-bindgen-test in headless Chromium), and end-to-end tests (node --test with
#   playwright-core) against the release build served as static files, from the site root and
#   from a sub-path. Fails if any layer fails or runs no test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER=/usr/bin/chromedriver
export WASM_BINDGEN_TEST_TIMEOUT=${WASM_BINDGEN_TEST_TIMEOUT:-180}
export CARGO_TERM_COLOR=never

logs=target/test-logs
mkdir -p "$logs"
total_passed=0
started=$SECONDS

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

# Sums "test result: ok. N passed" lines of a cargo log; fails the run when N is 0.
cargo_passed() {
  local log=$1 layer=$2 n
  n=$(grep -Eo 'test result: ok\. [0-9]+ passed' "$log" | awk '{s += $4} END {print s + 0}')
  if [ "$n" -eq 0 ]; then
    echo "test.sh: the $layer layer ran no test" >&2
    exit 1
  fi
  echo "$layer: $n passed"
  total_passed=$((total_passed + n))
}

step "format"
cargo fmt --all --check

step "clippy (host)"
cargo clippy --all-targets --quiet -- -D warnings

step "clippy (wasm32)"
cargo clippy --all-targets --quiet --target wasm32-unknown-unknown -- -D warnings

step "native tests"
cargo test 2>&1 | tee "$logs/native.log"
cargo_passed "$logs/native.log" native

step "browser tests (headless Chromium)"
cargo test --target wasm32-unknown-unknown --tests 2>&1 | tee "$logs/browser.log"
cargo_passed "$logs/browser.log" browser

step "release build (site root and /console/)"
scripts/build.sh --out dist
node scripts/postbuild.mjs --in target/trunk-dist --out target/e2e-dist-console --base /console/

step "end-to-end tests (playwright-core + Chromium)"
E2E_DIST=dist E2E_DIST_SUBPATH=target/e2e-dist-console \
  node --test --test-concurrency=1 tests/e2e/ 2>&1 | tee "$logs/e2e.log"
e2e_passed=$(awk '/^# pass / {print $3}' "$logs/e2e.log")
e2e_failed=$(awk '/^# fail / {print $3}' "$logs/e2e.log")
if [ "${e2e_failed:-1}" != 0 ] || [ "${e2e_passed:-0}" -eq 0 ]; then
  echo "test.sh: the end-to-end layer failed or ran no test" >&2
  exit 1
fi
total_passed=$((total_passed + e2e_passed))

step "summary"
echo "all layers green in $((SECONDS - started)) s"
echo "total: $total_passed passed, 0 failed"
