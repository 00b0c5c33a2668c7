#!/usr/bin/env bash
# Benchmarks (figures, not pass/fail): query evaluation and guard throughput natively, a long
# property-test run of the guard, IndexedDB against plain JavaScript in headless Chromium, and
# the size report of the release build, the groups table at scale, and sync against moto.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench --bench model
GUARD_PROPTEST_CASES=${GUARD_PROPTEST_CASES:-200000} cargo test --release --test guard_props
# IndexedDB: 10,000 groups through our store and through plain JavaScript, headless Chromium.
CHROMEDRIVER=/usr/bin/chromedriver cargo test --release --target wasm32-unknown-unknown --test idb_bench \
  -- --nocapture 2>&1 | grep -E '^(IndexedDB|  write|  read)'
node scripts/size-report.mjs
# The groups table with 10,000 groups and 100,000 resources (uses the dist/ just built).
node scripts/bench-ui.mjs
# Sync: 1,000 new groups pushed by the app to moto's server vs a boto3 loop (same run).
scripts/setup.sh --test >/dev/null
node scripts/bench-sync.mjs
