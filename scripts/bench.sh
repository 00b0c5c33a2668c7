#!/usr/bin/env bash
# Benchmarks (figures, not pass/fail): query evaluation and guard throughput natively, a long
# property-test run of the guard, and the size report of the release build.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench --bench model
GUARD_PROPTEST_CASES=${GUARD_PROPTEST_CASES:-200000} cargo test --release --test guard_props
node scripts/size-report.mjs
