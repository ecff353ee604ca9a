#!/usr/bin/env bash
# Times two mailtrace binaries against each other: each round runs A then B on the same input,
# and the figure to quote is the median of the rounds' B/A ratios. On a machine whose speed
# drifts by ±15 % between minutes, only a ratio taken within a round says which is faster.
#
#   scripts/compare.sh A B [INPUT] [ROUNDS] [JOBS]
#
# INPUT is an archive or folder (default: the benchmark's generated 450 MiB mbox, made by
# `scripts/bench.sh` in target/bench); ROUNDS defaults to 7, JOBS (--jobs) to 1. Example, the
# profile-guided build against the plain one:
#
#   cargo build --release && scripts/pgo-build.sh
#   scripts/compare.sh target/release/mailtrace target/pgo/mailtrace
set -euo pipefail

usage() { awk 'NR > 1 && /^#/ {sub(/^# ?/, ""); print; next} NR > 1 {exit}' "$0"; }
(($# >= 2)) || { usage >&2; exit 2; }
# Paths as the caller wrote them, from the caller's folder: made absolute before the script
# moves to the repository root (where the default input lives).
absolute() { [[ $1 == /* ]] && printf '%s\n' "$1" || printf '%s\n' "$PWD/$1"; }
A=$(absolute "$1")
B=$(absolute "$2")
INPUT=${3:+$(absolute "$3")}
cd "$(dirname "${BASH_SOURCE[0]}")/.."
INPUT=${INPUT:-$(ls -t target/bench/archive-450M-seed1-*.mbox 2>/dev/null | head -n 1)}
ROUNDS=${4:-7}
JOBS=${5:-1}
[[ -x $A && -x $B ]] || { echo "compare.sh: A and B must be executables" >&2; exit 2; }
[[ -n $INPUT && -e $INPUT ]] || { echo "compare.sh: no input (run scripts/bench.sh once, or name one)" >&2; exit 2; }
[[ $ROUNDS =~ ^[1-9][0-9]*$ && $JOBS =~ ^[1-9][0-9]*$ ]] || { echo "compare.sh: ROUNDS and JOBS are positive integers" >&2; exit 2; }

# Wall seconds of one scan. mailtrace exits 3 when it found tracking.
time_scan() {
    local start end rc=0
    start=$EPOCHREALTIME
    "$1" scan "$INPUT" --quiet -o /dev/null --jobs "$JOBS" || rc=$?
    end=$EPOCHREALTIME
    ((rc == 0 || rc == 3)) || { echo "compare.sh: $1 failed ($rc)" >&2; exit 1; }
    awk -v start="$start" -v end="$end" 'BEGIN { printf "%.3f\n", end - start }'
}

# The input into the page cache, and each binary run once, before the timed rounds.
time_scan "$A" >/dev/null
time_scan "$B" >/dev/null
TIMES_A=()
TIMES_B=()
for ((round = 1; round <= ROUNDS; round++)); do
    TIMES_A+=("$(time_scan "$A")")
    TIMES_B+=("$(time_scan "$B")")
done

python3 - "$A" "$B" "$INPUT" "$JOBS" "${TIMES_A[*]}" "${TIMES_B[*]}" <<'EOF'
import statistics, sys
a, b, source, jobs = sys.argv[1:5]
times_a = [float(t) for t in sys.argv[5].split()]
times_b = [float(t) for t in sys.argv[6].split()]
ratios = [tb / ta for ta, tb in zip(times_a, times_b)]
print(f"input {source}, --jobs {jobs}, {len(ratios)} rounds")
print(f"A {a}: " + " ".join(f"{t:.2f}" for t in times_a) + f"  median {statistics.median(times_a):.2f} s")
print(f"B {b}: " + " ".join(f"{t:.2f}" for t in times_b) + f"  median {statistics.median(times_b):.2f} s")
print("B/A by round: " + " ".join(f"{r:.3f}" for r in ratios))
print(f"B/A median of the rounds' ratios: {statistics.median(ratios):.3f}")
EOF
