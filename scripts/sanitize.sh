#!/usr/bin/env bash
# Sanitizer builds of the test suite, each in a build folder of its own:
#   build-asan  AddressSanitizer + UndefinedBehaviorSanitizer (-O1 -g1, every UB report fatal),
#               the whole suite under ctest with leak detection on;
#   build-tsan  ThreadSanitizer, the tests of the threaded parts (analysis: sweeps, thresholds,
#               Monte Carlo, ParallelFor).
# Usage: bash scripts/sanitize.sh [asan|tsan|all]   (default all)
# Extra sanitizer options can be passed the usual way (ASAN_OPTIONS, LSAN_OPTIONS, ...); they
# are added after the ones set here.
set -euo pipefail
cd "$(dirname "$0")/.."
which=${1:-all}
jobs=$(nproc)
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
shared=()
[ -n "${PARLEY_SHARED_DIR:-}" ] && shared=(-DPARLEY_SHARED_DIR="$PARLEY_SHARED_DIR")

# -g1 (functions and line tables, which is what the reports' stack traces print) compiles in
# about 55 % of the time of -g (g++ 12, a large source file under ASan+UBSan).
configure() {  # folder, sanitizers, targets...
  local folder=$1 sanitizers=$2
  shift 2
  cmake -S . -B "$folder" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" \
        -DPARLEY_SANITIZE="$sanitizers" -DPARLEY_BUILD_BENCH=OFF -DPARLEY_WERROR="${PARLEY_WERROR:-OFF}" \
        "${launcher[@]}" "${shared[@]}" >/dev/null
  cmake --build "$folder" -j"$jobs" --target "$@"
}

if [ "$which" = asan ] || [ "$which" = all ]; then
  start=$SECONDS
  configure build-asan "address,undefined" parley_cli parley_tests parley_allocation_tests
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
  ctest --test-dir build-asan -j"$jobs" --output-on-failure --timeout 1200
  echo "sanitize.sh: ASan+UBSan build and suite took $((SECONDS - start)) s"
fi

if [ "$which" = tsan ] || [ "$which" = all ]; then
  start=$SECONDS
  configure build-tsan thread parley_cli parley_tests  # analysis.cli runs the binary
  export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1${TSAN_OPTIONS:+:$TSAN_OPTIONS}"
  build-tsan/tests/parley_tests -ts='analysis*,parallel*'
  echo "sanitize.sh: TSan build and threaded tests took $((SECONDS - start)) s"
fi
