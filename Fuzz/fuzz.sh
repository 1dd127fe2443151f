#!/usr/bin/env bash
# make fuzz: builds tagway-fuzz with coverage, ASan and libFuzzer (release, .build-fuzz), then runs
# each target for FUZZ_SECONDS (default 20) with a memory bound and leak detection, seeded from
# the repository's fixtures plus the corpus kept from earlier runs in .build-fuzz/corpus.
# A crash, leak, timeout or out-of-memory input is copied to
# Tests/TagwayDecodersTests/Fixtures/fuzz-regressions/<target>/ (replayed by `make test`) and
# fails the run. Prints executions per target and the total.
#   FUZZ_SECONDS=600 make fuzz            longer
#   FUZZ_TARGETS="hid-descriptor epc" make fuzz
#   FUZZ_RSS_MB=2048 (memory bound, ASan included)  FUZZ_TIMEOUT=10 (seconds per input)
set -uo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-20}
# libFuzzer reads -max_total_time=0 as "no limit": refuse it rather than run forever.
case "$seconds" in ''|*[!0-9]*|0) echo "make fuzz: FUZZ_SECONDS must be a whole number of seconds above 0" >&2; exit 2 ;; esac
rss=${FUZZ_RSS_MB:-2048}
timeout=${FUZZ_TIMEOUT:-10}
scratch=.build-fuzz
fuzzer_lib=$(dirname "$(dirname "$(command -v swiftc)")")/lib/clang/*/lib/linux/libclang_rt.fuzzer_no_main-x86_64.a
fuzzer_lib=$(echo $fuzzer_lib)
if [ ! -f "$fuzzer_lib" ]; then
    echo "make fuzz: libFuzzer runtime not found in the Swift toolchain ($fuzzer_lib)" >&2
    exit 2
fi

start=$(date +%s)
swift build -c release --scratch-path "$scratch" --product tagway-fuzz --sanitize=address \
    -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp \
    -Xlinker --undefined=LLVMFuzzerRunDriver -Xlinker "$fuzzer_lib" -Xlinker -lstdc++ || exit 2
echo "fuzz build: $(( $(date +%s) - start )) s"
bin="$scratch/release/tagway-fuzz"

export SWIFT_BACKTRACE=enable=no   # the backtracer would hold a crashing input for minutes
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/Fuzz/lsan-suppressions.txt:print_suppressions=0}
# A sanitizer report at exit loses the list's buffered output: no targets must fail, not pass.
targets=${FUZZ_TARGETS:-$("$bin" list | awk '{print $1}')}
if [ -z "$targets" ]; then
    echo "make fuzz: tagway-fuzz listed no targets (run '$bin list' to see why)" >&2
    exit 2
fi
failed=()
total=0
summary=""
for target in $targets; do
    corpus="$scratch/corpus/$target"
    seeds="$scratch/seeds/$target"
    artifacts="$scratch/artifacts/$target"
    rm -rf "$seeds" "$artifacts"
    mkdir -p "$corpus" "$artifacts"
    "$bin" seed "$target" "$seeds" >/dev/null || { failed+=("$target (seeds)"); continue; }
    log="$scratch/logs/$target.log"
    mkdir -p "$(dirname "$log")"
    "$bin" "$target" -max_total_time="$seconds" -rss_limit_mb="$rss" -malloc_limit_mb="$rss" -timeout="$timeout" \
        -detect_leaks=1 -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" "$seeds" >"$log" 2>&1
    status=$?
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | awk '{print $2}' | tail -1)
    runs=${runs:-0}
    total=$((total + runs))
    verdict="ok"
    found=$(ls "$artifacts" 2>/dev/null)
    if [ "$status" -ne 0 ] || [ -n "$found" ]; then
        verdict="FAILED (exit $status)"
        failed+=("$target")
        keep="Tests/TagwayDecodersTests/Fixtures/fuzz-regressions/$target"
        mkdir -p "$keep"
        for file in $found; do cp "$artifacts/$file" "$keep/$file"; echo "  kept $keep/$file"; done
        grep -m1 -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|Fatal error|fuzz invariant' "$log" | sed 's/^/  /'
        echo "  log: $log"
    fi
    line=$(printf '%-20s %12s executions  %s' "$target" "$runs" "$verdict")
    echo "$line"
    summary+="$line"$'\n'
done
echo
echo "== fuzz summary (${seconds} s per target) =="
printf '%s' "$summary"
printf '%-20s %12s executions\n' "total" "$total"
if [ ${#failed[@]} -ne 0 ]; then
    echo "fuzz: findings in: ${failed[*]} (inputs kept under Tests/TagwayDecodersTests/Fixtures/fuzz-regressions/)" >&2
    exit 1
fi
