#!/usr/bin/env bash
# Runs every cargo-fuzz target for SECONDS_PER_TARGET seconds (default 60), one after another,
# and prints per target the executions, the time and whether it found a crash, hang or OOM.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#
# Only the stable toolchain is needed: cargo-fuzz's nightly-only flags are accepted with
# RUSTC_BOOTSTRAP=1. One fuzzer process runs at a time (one core). Each target's working corpus
# grows in fuzz/corpus/TARGET and starts from the committed seeds in fuzz/seeds/TARGET;
# findings land in fuzz/artifacts/TARGET and full logs in fuzz/logs/TARGET.log.
#
# FUZZ_ARGS adds libFuzzer options, e.g. FUZZ_ARGS="-fork=1 -ignore_crashes=1" to keep going
# past a known crash (every crash is still saved as an artifact and counted).
set -uo pipefail

secs=${1:-60}
shift || true
cd "$(dirname "$0")/.."

all_targets=(mbox_splitter archive_members message_detect url_analysis css_urls html_extract rule_loading weburl)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")

export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "installing cargo-fuzz" >&2
    cargo install cargo-fuzz || exit 1
fi

# Build everything first so build time is not counted against the fuzzing time.
for target in "${targets[@]}"; do
    cargo fuzz build "$target" || exit 1
done

mkdir -p fuzz/logs
summary=()
failed=0
for target in "${targets[@]}"; do
    mkdir -p "fuzz/corpus/$target" "fuzz/artifacts/$target"
    artifacts_before=$(ls "fuzz/artifacts/$target" | wc -l)
    log="fuzz/logs/$target.log"
    echo "== $target: ${secs}s" >&2
    start=$(date +%s)
    cargo fuzz run "$target" "fuzz/corpus/$target" "fuzz/seeds/$target" -- \
        -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        ${FUZZ_ARGS:-} >"$log" 2>&1
    status=$?
    elapsed=$(($(date +%s) - start))
    # libFuzzer's own count of fuzzing time (wall time above also covers a rebuild, if any).
    fuzzed=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | grep -o 'in [0-9]*' | tr -dc '0-9')
    [ -n "$fuzzed" ] && elapsed=$fuzzed
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    if [ -z "$execs" ]; then
        # A crash ends the run before the final stats: take the last status line instead.
        execs=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')
    fi
    found=$(($(ls "fuzz/artifacts/$target" | wc -l) - artifacts_before))
    if [ "$status" -eq 0 ] && [ "$found" -eq 0 ]; then
        result="ok"
    else
        failed=1
        kind=$(grep -oE 'deadly signal|ERROR: libFuzzer: [a-z-]+|panicked at [^ ]*' "$log" | head -1)
        artifact=$(grep -o 'Test unit written to [^ ]*' "$log" | tail -1 | sed 's/Test unit written to //')
        result="FOUND $found (${kind:-exit $status}) ${artifact}"
    fi
    summary+=("$(printf '%-16s %8ss %12s execs  %s' "$target" "$elapsed" "${execs:-?}" "$result")")
done

echo
printf '%-16s %9s %18s  %s\n' target time executions result
printf '%s\n' "${summary[@]}"
exit $failed
