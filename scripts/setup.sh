#!/usr/bin/env bash
# Installs whatever Group Console needs to build, serve and test, and nothing that is already
# there. Safe to run again and again: when everything is installed it takes a few seconds.
#
# Pinned versions: the Rust toolchain in rust-toolchain.toml; trunk and wasm-split-cli below;
# wasm-bindgen-cli equal to the wasm-bindgen crate in Cargo.lock; binaryen (wasm-opt) and playwright-core by
# package-lock.json; Chromium and ChromeDriver from Debian; with --test, also moto's server and
# boto3 (the sync tests' backend) in a project-local venv from tests/backend/requirements.txt,
# and the second browser: Firefox ESR from Debian with geckodriver (pinned below).
#
# The Rust tools (trunk, wasm-bindgen-cli, wasm-split-cli, geckodriver) have no prebuilt release
# this machine can reach (GitHub is not), so they are built from crates.io — at the same time,
# each in the background with its own log under target/setup-logs/: one build's serial phases
# (its last crates, the link) leave the second core to another.
set -euo pipefail
WITH_TESTS=0
[ "${1:-}" = "--test" ] && WITH_TESTS=1
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
GECKODRIVER_VERSION=0.37.1
# wasm-split-cli, which cuts the release wasm into the chunks loaded on demand
# (scripts/build-split.mjs). 0.2.4 is the first that reads wasm-bindgen 0.2.130's output.
WASM_SPLIT_VERSION=0.2.4
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# --- Debian packages ----------------------------------------------------------------------------
apt_missing=()
command -v cc >/dev/null || apt_missing+=(gcc libc6-dev)
command -v pkg-config >/dev/null || apt_missing+=(pkg-config)
[ -f /usr/include/openssl/ssl.h ] || apt_missing+=(libssl-dev)
command -v node >/dev/null || apt_missing+=(nodejs)
command -v npm >/dev/null || apt_missing+=(npm)
[ -x /usr/bin/chromium ] || apt_missing+=(chromium)
[ -x /usr/bin/chromedriver ] || apt_missing+=(chromium-driver)
command -v curl >/dev/null || apt_missing+=(curl)
command -v cargo >/dev/null || apt_missing+=(rustup)
if [ "$WITH_TESTS" = 1 ]; then
  command -v openssl >/dev/null || apt_missing+=(openssl)
  command -v python3 >/dev/null || apt_missing+=(python3)
  python3 -c 'import venv, ensurepip' 2>/dev/null || apt_missing+=(python3-venv)
  [ -x /usr/bin/firefox-esr ] || apt_missing+=(firefox-esr)
fi
if [ ${#apt_missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${apt_missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${apt_missing[@]}" >/dev/null
fi

# --- Rust toolchain and the wasm target (versions from rust-toolchain.toml) ---------------------
if ! command -v cargo >/dev/null; then
  echo "setup: cargo is missing and Debian's rustup could not provide it" >&2
  exit 1
fi
# The pinned toolchain: installed explicitly, since rustup's auto-install may be switched off
# (RUSTUP_AUTO_INSTALL=0).
TOOLCHAIN=$(awk -F'"' '/^channel/ { print $2 }' rust-toolchain.toml)
if ! rustup toolchain list | grep -q "^$TOOLCHAIN-"; then
  say "installing the Rust toolchain $TOOLCHAIN"
  rustup toolchain install "$TOOLCHAIN" --profile minimal --component rustfmt,clippy --target wasm32-unknown-unknown
fi
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
# std's source, for the release build's `-Zbuild-std` (scripts/build-split.mjs): it comes with
# the pinned toolchain from rustup's dist server.
if ! rustup component list --installed 2>/dev/null | grep -qx rust-src; then
  say "adding the rust-src component"
  rustup component add rust-src
fi

# --- trunk, wasm-bindgen-cli (the version in Cargo.lock), wasm-split-cli, geckodriver: at once --
mkdir -p target/setup-logs
jobs_started=()
# A failed build, Ctrl-C or a kill stops the others too: left running, a second run would
# start the same `--force` install on top of one still going.
stop_builds() {
  for job in "${jobs_started[@]}"; do kill "${job%%:*}" 2>/dev/null || true; done
}
trap stop_builds EXIT
trap 'stop_builds; exit 130' INT TERM
in_background() { # NAME COMMAND...: runs COMMAND with its output in target/setup-logs/NAME.log
  local name=$1
  shift
  "$@" > "target/setup-logs/$name.log" 2>&1 &
  jobs_started+=("$!:$name")
}
if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  say "building trunk $TRUNK_VERSION (about 15 minutes on 2 cores, once)"
  in_background trunk cargo install trunk --version "$TRUNK_VERSION" --locked --force
fi
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  say "building wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 3 minutes alone, once)"
  # Not --locked: its lockfile pins a webpki-roots release that the registry no longer serves.
  in_background wasm-bindgen cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi
# It prints no version of its own: cargo's list of installed packages tells.
if ! cargo install --list 2>/dev/null | grep -q "^wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
  say "building wasm-split-cli $WASM_SPLIT_VERSION (about 2 minutes alone, once)"
  in_background wasm-split cargo install wasm_split_cli_support --version "$WASM_SPLIT_VERSION" \
    --features build-binary --locked --force
fi
if [ "$WITH_TESTS" = 1 ] && [ "$(geckodriver --version 2>/dev/null | awk 'NR == 1' | awk '{print $2}')" != "$GECKODRIVER_VERSION" ]; then
  say "building geckodriver $GECKODRIVER_VERSION (about 5 minutes alone, once)"
  in_background geckodriver cargo install geckodriver --version "$GECKODRIVER_VERSION" --locked --force
fi
for job in "${jobs_started[@]}"; do
  if ! wait "${job%%:*}"; then
    echo "setup: building ${job#*:} failed; the end of target/setup-logs/${job#*:}.log:" >&2
    tail -20 "target/setup-logs/${job#*:}.log" >&2
    exit 1
  fi
  say "built ${job#*:}"
done
trap - EXIT INT TERM
if ! grep -q "^wasm_bindgen = \"$WASM_BINDGEN_VERSION\"$" Trunk.toml; then
  echo "setup: Trunk.toml [tools] wasm_bindgen must be \"$WASM_BINDGEN_VERSION\" (the version in Cargo.lock)" >&2
  exit 1
fi

# --- node packages (wasm-opt from binaryen, playwright-core), project-local ---------------------
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.gc-lock-sum 2>/dev/null)" != "$lock_sum" ]; then
  say "installing node packages from package-lock.json"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sum" > node_modules/.gc-lock-sum
fi

# --- moto's server and boto3 for the sync tests, project-local -----------------------------------
if [ "$WITH_TESTS" = 1 ]; then
  req_sum=$(sha256sum tests/backend/requirements.txt | cut -d' ' -f1)
  if [ "$(cat .venv/.gc-req-sum 2>/dev/null)" != "$req_sum" ]; then
    say "installing moto's server and boto3 into .venv (pinned in tests/backend/requirements.txt)"
    [ -x .venv/bin/python ] || python3 -m venv .venv
    .venv/bin/pip install --quiet --disable-pip-version-check --no-deps -r tests/backend/requirements.txt
    echo "$req_sum" > .venv/.gc-req-sum
  fi
fi

say "ready: $(trunk --version), $(wasm-bindgen --version), wasm-split-cli $WASM_SPLIT_VERSION, wasm-opt $(node_modules/.bin/wasm-opt --version | awk '{print $3}'), $(/usr/bin/chromium --version 2>/dev/null | head -1)"
if [ "$WITH_TESTS" = 1 ]; then
  say "and: $(/usr/bin/firefox-esr --version 2>/dev/null | head -1), $(geckodriver --version | awk 'NR == 1')"
fi
