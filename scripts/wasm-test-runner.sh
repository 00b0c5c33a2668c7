#!/usr/bin/env bash
# cargo's runner for wasm32 tests (.cargo/config.toml): wasm-bindgen-test-runner, started again
# when the page never got as far as running a test.
#
# Why: the runner serves the test page with tiny_http 0.12. Each connection holds one of its
# pool's threads for as long as the browser keeps it open, and the pool can lose a wake-up: it
# starts a new thread only when none is waiting, so when more connections arrive at once than
# threads are waiting, the extra ones are queued for threads that were already woken. The
# page then waits for a file forever, at "Loading scripts..." or "Loading Wasm module...",
# and the runner gives up only after WASM_BINDGEN_TEST_TIMEOUT plus chromedriver's own five
# minutes. The page fetches its JS snippets all at once, so this happened once the browser
# tests had five (three runs in seven here, and once in CI; the runner then had a
# thread with 587 request bytes unread while five others waited on idle connections). There
# are three now (tests/browser/raw.js holds the tests' own), which keeps the parallel fetches
# within the four waiting threads; this wrapper stays as the net for the day that drifts.
#
# The retry is safe: the page fetches nothing from the runner after the tests have started,
# so a run that printed "running N tests" is never restarted, and its result (pass or fail) is
# the result. Only a start that takes longer than WASM_TEST_START_LIMIT seconds (default 150)
# is killed, with every process it started, and tried again, three times at most.
set -uo pipefail

limit=${WASM_TEST_START_LIMIT:-150}
attempts=3
out=$(mktemp)
trap 'rm -f "$out"' EXIT

for attempt in $(seq 1 "$attempts"); do
  : > "$out"
  # A session of its own, so that killing it also kills chromedriver and the browser.
  setsid wasm-bindgen-test-runner "$@" > "$out" 2>&1 &
  pid=$!
  tail -n +1 -f --pid="$pid" "$out" &
  shown=$!
  started=0
  waited=0
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$started" = 0 ] && grep -Eq '^running [0-9]+ tests?$|no tests to run' "$out"; then
      started=1
    fi
    if [ "$started" = 0 ] && [ "$waited" -ge "$limit" ]; then
      break
    fi
    sleep 1
    waited=$((waited + 1))
  done
  if [ "$started" = 1 ] || ! kill -0 "$pid" 2>/dev/null; then
    wait "$pid"
    rc=$?
    wait "$shown" 2>/dev/null
    exit "$rc"
  fi
  kill -- -"$pid" 2>/dev/null
  sleep 1
  kill -9 -- -"$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  wait "$shown" 2>/dev/null
  echo
  echo "wasm-test-runner: no test started within ${limit} s (attempt $attempt of $attempts): the test page's server hung (see scripts/wasm-test-runner.sh)" >&2
done
echo "wasm-test-runner: the test page never loaded in $attempts attempts" >&2
exit 1
