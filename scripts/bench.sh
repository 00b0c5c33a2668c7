#!/usr/bin/env bash
# Benchmarks (figures, not pass/fail): query evaluation and guard throughput natively, long
# property-test runs of the guard and of every input path (no_panic), IndexedDB against plain
# JavaScript in headless Chromium, the size report of the release build, the groups table at
# scale, and sync against moto.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench --bench model
GUARD_PROPTEST_CASES=${GUARD_PROPTEST_CASES:-200000} cargo test --release --test guard_props
# Real data never crashes the app (tests/no_panic.rs): every entry point that reads text from a
# person, a file or a server, NO_PANIC_CASES inputs a property; prints the inputs tried in all.
no_panic_start=$SECONDS
NO_PANIC_CASES=${NO_PANIC_CASES:-100000} cargo test --release --test no_panic -- --nocapture \
  2>&1 | grep -E '^no_panic: [0-9]+ inputs|FAILED|panicked|minimal failing'
echo "no_panic: $((SECONDS - no_panic_start)) s (build included)"
# IndexedDB: 10,000 groups through our store and through plain JavaScript, headless Chromium.
CHROMEDRIVER=/usr/bin/chromedriver cargo test --release --target wasm32-unknown-unknown --test idb_bench \
  -- --nocapture 2>&1 | grep -E '^(IndexedDB|  write|  read)'
node scripts/size-report.mjs
# The groups table with 10,000 groups and 100,000 resources (uses the dist/ just built).
node scripts/bench-ui.mjs
# Encryption at rest at the same scale: the switch, the unlock (KDF apart), keystroke and save.
node scripts/bench-vault.mjs
# Sync: 1,000 new groups pushed by the app to moto's server vs a boto3 loop (same run).
scripts/setup.sh --test >/dev/null
node scripts/bench-sync.mjs
