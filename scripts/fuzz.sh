#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, with clang, ASan+UBSan) in build-fuzz and runs each for
# a while on its seed corpus (fuzz/corpus/<target>/, copied so the committed corpus stays as
# it is). Fails when a target crashes, leaks or times out; the input that did it is kept in
# build-fuzz/findings/<target>/ and its name printed.
# Usage: bash scripts/fuzz.sh [seconds per target, default 45] [target ...]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --with-fuzzing
seconds=${1:-45}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(efg nfg game_json scenario bargain_options shard)
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
start=$SECONDS
cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" \
      -DCMAKE_CXX_COMPILER=clang++ -DPARLEY_FUZZ=ON -DPARLEY_BUILD_TESTS=OFF \
      -DPARLEY_BUILD_BENCH=OFF "${launcher[@]}" >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target "${targets[@]/#/fuzz_}"
echo "fuzz.sh: build took $((SECONDS - start)) s"
export ASAN_OPTIONS="detect_leaks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
failed=()
for t in "${targets[@]}"; do
  work=build-fuzz/corpus/$t findings=build-fuzz/findings/$t
  mkdir -p "$work" "$findings"
  cp -n fuzz/corpus/"$t"/* "$work"/ 2>/dev/null || true
  t0=$SECONDS
  if build-fuzz/fuzz/fuzz_"$t" "$work" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
       -max_len=16384 -artifact_prefix="$findings/" -print_final_stats=1 \
       >"build-fuzz/fuzz_$t.log" 2>&1; then
    echo "fuzz.sh: $t: no crash in $((SECONDS - t0)) s ($(grep -o 'stat::number_of_executed_units: *[0-9]*' "build-fuzz/fuzz_$t.log" | grep -o '[0-9]*$') runs)"
  else
    echo "fuzz.sh: $t: FAILED after $((SECONDS - t0)) s; log build-fuzz/fuzz_$t.log, input:" >&2
    ls "$findings" >&2
    grep -m3 -E 'ERROR|SUMMARY|runtime error|terminate' "build-fuzz/fuzz_$t.log" >&2 || true
    failed+=("$t")
  fi
done
echo "fuzz.sh: $((SECONDS - start)) s in all"
[ ${#failed[@]} -eq 0 ] || { echo "fuzz.sh: crashes in: ${failed[*]}" >&2; exit 1; }
