#!/usr/bin/env bash
# Installs whatever is missing, then runs every check and every test layer:
#   formatting and clippy (host and wasm32), native `cargo test`, browser tests
#   (wasm-bindgen-test in headless Chromium and in headless Firefox), end-to-end tests (node
#   --test with playwright-core and Chromium) against the release build served as static
#   files, from the site root and from a sub-path, and a smoke test of that build in Firefox
#   over WebDriver. Fails if any layer fails or runs no test; the summary lists each layer
#   with its browser.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# The browser suite picks its browser from the driver variable that is set: CHROMEDRIVER here,
# GECKODRIVER (with CHROMEDRIVER unset) for its Firefox run below.
export CHROMEDRIVER=/usr/bin/chromedriver
GECKODRIVER_BIN=$HOME/.cargo/bin/geckodriver
export WASM_BINDGEN_TEST_TIMEOUT=${WASM_BINDGEN_TEST_TIMEOUT:-180}
export CARGO_TERM_COLOR=never

logs=target/test-logs
mkdir -p "$logs"
total_passed=0
started=$SECONDS
summary=()

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
  summary+=("$layer: $n passed")
  total_passed=$((total_passed + n))
}

# Sums "# pass N" of a node --test log; fails the run on any failure or when N is 0.
node_passed() {
  local log=$1 layer=$2 passed failed
  passed=$(awk '/^# pass / {print $3}' "$log")
  failed=$(awk '/^# fail / {print $3}' "$log")
  if [ "${failed:-1}" != 0 ] || [ "${passed:-0}" -eq 0 ]; then
    echo "test.sh: the $layer layer failed or ran no test" >&2
    exit 1
  fi
  echo "$layer: $passed passed"
  summary+=("$layer: $passed passed")
  total_passed=$((total_passed + passed))
}

step "format"
cargo fmt --all --check

step "clippy (host)"
cargo clippy --all-targets --quiet -- -D warnings

step "clippy (wasm32)"
cargo clippy --all-targets --quiet --target wasm32-unknown-unknown -- -D warnings

step "native tests"
cargo test 2>&1 | tee "$logs/native.log"
cargo_passed "$logs/native.log" "native (host)"

step "browser tests (headless Chromium)"
cargo test --target wasm32-unknown-unknown --tests 2>&1 | tee "$logs/browser.log"
cargo_passed "$logs/browser.log" "browser (Chromium)"

step "browser tests (headless Firefox)"
env -u CHROMEDRIVER GECKODRIVER="$GECKODRIVER_BIN" \
  cargo test --target wasm32-unknown-unknown --tests 2>&1 | tee "$logs/browser-firefox.log"
grep -q 'Running headless tests in Firefox' "$logs/browser-firefox.log" || {
  echo "test.sh: the Firefox browser run did not run in Firefox" >&2
  exit 1
}
cargo_passed "$logs/browser-firefox.log" "browser (Firefox)"

step "release build (site root and /console/)"
scripts/build.sh --out dist
node scripts/postbuild.mjs --in target/trunk-dist --out target/e2e-dist-console --base /console/

step "end-to-end tests (playwright-core + Chromium)"
E2E_DIST=dist E2E_DIST_SUBPATH=target/e2e-dist-console \
  node --test --test-concurrency=1 tests/e2e/ 2>&1 | tee "$logs/e2e.log"
node_passed "$logs/e2e.log" "end-to-end (Chromium, Playwright)"

step "smoke test of the release build (headless Firefox, WebDriver)"
E2E_DIST=dist E2E_DIST_SUBPATH=target/e2e-dist-console GECKODRIVER="$GECKODRIVER_BIN" \
  node --test --test-concurrency=1 tests/firefox/ 2>&1 | tee "$logs/firefox-smoke.log"
node_passed "$logs/firefox-smoke.log" "end-to-end smoke (Firefox, WebDriver)"

step "summary"
printf '%s\n' "${summary[@]}"
echo "all layers green in $((SECONDS - started)) s"
echo "total: $total_passed passed, 0 failed"
