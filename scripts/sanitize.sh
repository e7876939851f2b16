#!/usr/bin/env bash
# The checked builds (docs/fuzzing.md), each in its own build directory:
#   asan  build-asan: everything with AddressSanitizer and UBSan; runs the
#         unit and integration tests, the servers they start included
#   tsan  build-tsan: the core's concurrent tests with ThreadSanitizer
#   fuzz  build-fuzz: the libFuzzer targets of fuzz/, each fuzzing for a
#         bounded time from its seed corpus
# All three with clang (libFuzzer is clang's; its ASan and UBSan build in
# half the time gcc's take).
# Prints the time each stage took. Fails on a failed test, any sanitizer
# report or a fuzzer crash. scripts/test.sh runs it after the plain tests.
#
#   scripts/sanitize.sh             all three stages
#   scripts/sanitize.sh asan fuzz   only those
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jobs="$(nproc)"
stages=("$@")
[ "${#stages[@]}" -gt 0 ] || stages=(asan tsan fuzz)

# The TSan subset, in this one place: the tests of the core library that run
# threads (SqliteStore's writer thread and group commit: every
# SqliteStoreTest and the store contract on SQLite start it, and
# ConcurrentSubmissions... submits from eight threads; the contract on
# PostgreSQL is left out, since libpq is not built with TSan), the replica
# sync, and the concurrency tests of the shared state the handlers read
# while it changes: tokens re-read on SIGHUP, the duty catalogue, the burden
# index; and the aggregates snapshot, read on two threads. Only the core: Debian's gRPC and prometheus-cpp are not built with
# TSan, and TSan on uninstrumented libraries reports races that are not
# there (it cannot see their locks), so the server and the integration
# tests are left to the ASan build. Debian's Abseil is not built with TSan
# either: tests/sanitizers/tsan_absl_mutex.cc annotates its Mutex.
tsan_targets=(store_test store_contract_test postgres_fixture replica_sync_test auth_test duty_catalog_test
              burden_test aggregates_test)
tsan_tests='^(SqliteStoreTest|WritePipelineTest|ReplicaSyncTest|TokenFileConcurrencyTest|DutyCatalogConcurrencyTest|BurdenIndexConcurrencyTest|AggregatesSnapshotTest)\.|^Backends/StoreContractTest\.[^/]*/sqlite'

# Line tables only (-g1): reports with file and line, at a fraction of the
# build time of -g. The ASan tree is not optimised: with UBSan, optimising
# is most of its build time, and its tests mostly wait on disk and sockets.
# TSan and the fuzzers need the speed of -O1. The benchmark harness is left
# out: no stage runs it.
configure() {
  local build="$1" optimise="$2"
  shift 2
  cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ \
    -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=$optimise -g1" \
    -DINRAPPORT_BUILD_BENCH=OFF "$@" >/dev/null
}

report=()
finish() {
  local status=$?
  if [ "${#report[@]}" -gt 0 ]; then
    echo "sanitize: time per stage"
    printf '  %s\n' "${report[@]}"
  fi
  [ "$status" -eq 0 ] || echo "sanitize: FAILED" >&2
}
trap finish EXIT

# Fails if any process under `dir` wrote a sanitizer report (log_path), also
# one in a server whose test did not notice.
check_reports() {
  local dir="$1"
  if compgen -G "$dir/*" >/dev/null; then
    echo "sanitize: sanitizer reports in $dir:" >&2
    for f in "$dir"/*; do
      echo "== $f" >&2
      cat "$f" >&2
    done
    return 1
  fi
}

stage_asan() {
  local build="$repo/build-asan" logs="$repo/build-asan/sanitizer-reports"
  configure "$build" -O0 -DINRAPPORT_SANITIZE=address
  cmake --build "$build" -j "$jobs"
  rm -rf "$logs" && mkdir -p "$logs"
  # Every report aborts its process (a server too, which fails its test)
  # and is also written to $logs. Leaks are checked at each exit.
  # Two attack tests run in the plain stage only: one starves the server of
  # descriptors, which the sanitizer runtime itself needs to write its
  # reports (it fails with EMFILE), and one floods the server with reset
  # streams, whose pace the sanitizers' slowdown distorts. Neither is about
  # memory.
  ASAN_OPTIONS="abort_on_error=1:detect_leaks=1:log_path=$logs/asan" \
  UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$logs/ubsan" \
    ctest --test-dir "$build" -L 'unit|integration' --output-on-failure -j "$jobs" --timeout 300 \
      -E '^HostileClientsTest\.(AListenerThatNoLongerAcceptsIsNoticedAndTheServerExits|ARapidResetFloodEndsInServingAgainOrADeliberateExit)$'
  check_reports "$logs"
}

stage_tsan() {
  local build="$repo/build-tsan"
  configure "$build" -O1 -DINRAPPORT_SANITIZE=thread
  cmake --build "$build" -j "$jobs" --target "${tsan_targets[@]}"
  TSAN_OPTIONS="halt_on_error=1:abort_on_error=1:second_deadlock_stack=1" \
    ctest --test-dir "$build" -R "$tsan_tests" --output-on-failure -j "$jobs" --timeout 300
}

stage_fuzz() {
  local build="$repo/build-fuzz"
  configure "$build" -O1 -DINRAPPORT_FUZZ=ON -DINRAPPORT_BUILD_TESTS=OFF
  cmake --build "$build" -j "$jobs" --target fuzzers
  ctest --test-dir "$build" -L fuzz --output-on-failure -j "$jobs"
  cat "$build"/fuzz/work/*/summary.txt
}

for stage in "${stages[@]}"; do
  case "$stage" in
    asan | tsan | fuzz) ;;
    *) echo "sanitize: unknown stage \"$stage\" (asan, tsan or fuzz)" >&2; exit 2 ;;
  esac
  echo "sanitize: $stage"
  start=$SECONDS
  "stage_$stage"
  report+=("$stage: $((SECONDS - start)) s")
done
