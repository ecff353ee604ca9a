#!/usr/bin/env bash
# Whole-program benchmark: time `mailtrace scan` over a large archive, next to `rg` reading the
# same bytes and a Python stdlib + BeautifulSoup script (scripts/baseline_bs4.py), and report
# throughput, thread scaling, peak memory and the ratio to Python. See docs/benchmarks.md.
#
#   scripts/bench.sh [SIZE]             one mbox made by scripts/gen_archive.py (default 450M)
#   scripts/bench.sh --eml-dir [SIZE]   a folder of .eml files made by the same generator
#   scripts/bench.sh --corpus [N]       the real .eml files of $MAILTRACE_CORPUS (default
#                                       /work/shared/corpus/phishing_pot) copied N times (default 32)
#                                       into a temporary folder outside the repository
#   scripts/bench.sh --pgo ...          times the profile-guided build (scripts/pgo-build.sh,
#                                       made first) instead of the plain release build
#
# SIZE takes K/M/G suffixes (binary multiples, as --max-message-size does).
# Environment: SEED (generator seed, default 1), RUNS (timed runs per command, default 3),
# BENCH_DIR (cache for generated archives and reports, default target/bench), WAIT_IDLE
# (seconds each run may wait for other processes to quieten first, default 0), PYTHON_RUNS
# (timed runs of the Python baseline scripts/baseline_bs4.py, default 1; 0 leaves it out),
# PYTHON_MAX (the baseline reads at most this much of the input, a leading slice of whole
# messages, default 50M; 0 means all of it).
#
# Generated archives are cached in BENCH_DIR under a name holding size, seed and a hash of the
# generator, and reused while those match. Every command is timed RUNS times with the input in
# the page cache; the table shows the median wall time and the highest peak RSS of the runs.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd -P)

MODE=mbox
ARG=
PGO=0
while (($#)); do
    case "$1" in
        --eml-dir) MODE=eml-dir ;;
        --corpus) MODE=corpus ;;
        --pgo) PGO=1 ;;
        -h | --help) awk 'NR > 1 && /^#/ {sub(/^# ?/, ""); print; next} NR > 1 {exit}' "$0"; exit 0 ;;
        -*) echo "bench.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
        *) [[ -z $ARG ]] || { echo "bench.sh: one SIZE (or N) only" >&2; exit 2; }; ARG=$1 ;;
    esac
    shift
done

SEED=${SEED:-1}
RUNS=${RUNS:-3}
PYTHON_RUNS=${PYTHON_RUNS:-1}
PYTHON_MAX=${PYTHON_MAX:-50M}
BENCH_DIR=${BENCH_DIR:-target/bench}
CORPUS=${MAILTRACE_CORPUS:-/work/shared/corpus/phishing_pot}
BIN=target/release/mailtrace
WAIT_IDLE_CHECK=${WAIT_IDLE:-0}

if [[ $MODE == corpus ]]; then
    COPIES=${ARG:-32}
    [[ $COPIES =~ ^[1-9][0-9]*$ ]] || { echo "bench.sh: N must be a positive integer" >&2; exit 2; }
    TAG=$COPIES
else
    SIZE=${ARG:-450M}
    [[ $SIZE =~ ^[1-9][0-9]*[KkMmGg]?$ ]] || { echo "bench.sh: SIZE must look like 50M, 450M, 2G" >&2; exit 2; }
    TAG=$SIZE
fi
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "bench.sh: RUNS must be a positive integer" >&2; exit 2; }
[[ $PYTHON_RUNS =~ ^[0-9]+$ ]] || { echo "bench.sh: PYTHON_RUNS must be a number (0 skips the Python baseline)" >&2; exit 2; }
[[ $PYTHON_MAX =~ ^(0|[1-9][0-9]*[KkMmGg]?)$ ]] || { echo "bench.sh: PYTHON_MAX must look like 50M (0: no limit)" >&2; exit 2; }
[[ $WAIT_IDLE_CHECK =~ ^[0-9]+$ ]] || { echo "bench.sh: WAIT_IDLE must be a number of seconds" >&2; exit 2; }

note() { printf '%s\n' "bench.sh: $*" >&2; }

# Temporary files and folders, removed however the script ends.
TMP_PATHS=()
cleanup() {
    local p
    for p in "${TMP_PATHS[@]}"; do rm -rf -- "$p"; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/mailtrace-bench.XXXXXX")
TMP_PATHS+=("$SCRATCH")

# ---------------------------------------------------------------------------- tools

IS_ROOT=0
[[ $(id -u) -eq 0 ]] && IS_ROOT=1
APT_UPDATED=0
apt_install() {  # apt_install PACKAGE: only as root; refreshes the index once if needed
    ((IS_ROOT)) || return 1
    command -v apt-get >/dev/null || return 1
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null 2>&1; then
        ((APT_UPDATED)) && return 1
        APT_UPDATED=1
        apt-get update -qq >/dev/null 2>&1 || return 1
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null 2>&1 || return 1
    fi
}

HAVE_RG=1
if ! command -v rg >/dev/null; then
    if apt_install ripgrep && command -v rg >/dev/null; then
        note "installed ripgrep"
    else
        HAVE_RG=0
        note "rg not found (and not installable here: needs root and apt-get); skipping the rg baseline"
    fi
fi
HAVE_TIME=1
if [[ ! -x /usr/bin/time ]]; then
    if apt_install time && [[ -x /usr/bin/time ]]; then
        note "installed GNU time"
    else
        HAVE_TIME=0
        note "/usr/bin/time not found (and not installable here); peak RSS will not be measured"
    fi
fi
command -v python3 >/dev/null || { echo "bench.sh: python3 is needed (generator, report parsing)" >&2; exit 1; }
HAVE_PY=0
if ((PYTHON_RUNS > 0)); then
    if python3 -c 'import bs4' 2>/dev/null; then
        HAVE_PY=1
    elif apt_install python3-bs4 && python3 -c 'import bs4' 2>/dev/null; then
        HAVE_PY=1
        note "installed python3-bs4"
    elif python3 -m pip install --quiet beautifulsoup4 >/dev/null 2>&1 && python3 -c 'import bs4' 2>/dev/null; then
        HAVE_PY=1
        note "installed beautifulsoup4 with pip"
    else
        note "BeautifulSoup (bs4) not found (pip install beautifulsoup4); skipping the Python baseline"
    fi
fi

if ((PGO)); then
    note "building the profile-guided binary (scripts/pgo-build.sh)"
    scripts/pgo-build.sh
    BIN=target/pgo/mailtrace
else
    note "building release binary"
    cargo build --release --quiet
fi
[[ -x $BIN ]] || { echo "bench.sh: $BIN was not built" >&2; exit 1; }

# ---------------------------------------------------------------------------- input

mkdir -p "$BENCH_DIR"
GEN=scripts/gen_archive.py
GEN_HASH=$(sha256sum "$GEN" | cut -c1-10)

case $MODE in
    mbox)
        INPUT="$BENCH_DIR/archive-$SIZE-seed$SEED-$GEN_HASH.mbox"
        if [[ -f $INPUT ]]; then
            note "reusing $INPUT"
        else
            # A stale archive of the same size and seed (older generator) is replaced.
            rm -f -- "$BENCH_DIR/archive-$SIZE-seed$SEED-"*.mbox
            note "generating $INPUT (size $SIZE, seed $SEED)"
            TMP_PATHS+=("$INPUT.partial")
            python3 "$GEN" --size "$SIZE" --seed "$SEED" --out "$INPUT.partial"
            mv -- "$INPUT.partial" "$INPUT"
        fi
        LABEL="generated mbox, $SIZE, seed $SEED"
        ;;
    eml-dir)
        INPUT="$BENCH_DIR/eml-$SIZE-seed$SEED-$GEN_HASH"
        if [[ -d $INPUT ]]; then
            note "reusing $INPUT/"
        else
            rm -rf -- "$BENCH_DIR/eml-$SIZE-seed$SEED-"*
            note "generating $INPUT/ (size $SIZE, seed $SEED)"
            TMP_PATHS+=("$INPUT.partial")
            rm -rf -- "$INPUT.partial"
            python3 "$GEN" --size "$SIZE" --seed "$SEED" --format eml-dir --out "$INPUT.partial"
            mv -- "$INPUT.partial" "$INPUT"
        fi
        LABEL="generated .eml folder, $SIZE, seed $SEED"
        ;;
    corpus)
        if [[ ! -d $CORPUS ]]; then
            note "no corpus at $CORPUS (set MAILTRACE_CORPUS); nothing to do for --corpus"
            exit 0
        fi
        case "$(cd "$SCRATCH" && pwd -P)/" in
            "$ROOT"/*) echo "bench.sh: the temporary folder $SCRATCH is inside the repository; set TMPDIR elsewhere" >&2; exit 1 ;;
        esac
        INPUT="$SCRATCH/corpus"
        mkdir "$INPUT"
        n_src=$(find "$CORPUS" -maxdepth 1 -type f -name '*.eml' | wc -l)
        ((n_src > 0)) || { note "no .eml files in $CORPUS"; exit 0; }
        note "copying $n_src .eml files from $CORPUS $COPIES times into $INPUT"
        for ((i = 1; i <= COPIES; i++)); do
            mkdir "$INPUT/copy-$i"
            find "$CORPUS" -maxdepth 1 -type f -name '*.eml' -exec cp -t "$INPUT/copy-$i" {} +
        done
        LABEL="real .eml folder, $n_src files of $(basename "$CORPUS") x $COPIES"
        ;;
esac

if [[ -d $INPUT ]]; then
    INPUT_BYTES=$(find "$INPUT" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')
    INPUT_FILES=$(find "$INPUT" -type f | wc -l)
    note "loading $INPUT_FILES files into the page cache"
    find "$INPUT" -type f -exec cat {} + >/dev/null
else
    INPUT_BYTES=$(stat -c %s "$INPUT")
    INPUT_FILES=1
    note "loading $INPUT into the page cache"
    cat "$INPUT" >/dev/null
fi
MEM_AVAIL_KB=$(awk '/^MemAvailable:/ {print $2}' /proc/meminfo 2>/dev/null || echo 0)
if ((MEM_AVAIL_KB > 0 && INPUT_BYTES / 1024 > MEM_AVAIL_KB)); then
    note "warning: the input is larger than available memory; runs will read from disk"
fi

# One untimed run that keeps its report: message count, errors, and a warm-up.
REPORT="$BENCH_DIR/report-$MODE.json"
note "reference run (report in $REPORT)"
set +e
"$BIN" scan "$INPUT" --quiet -o "$REPORT"
rc=$?
set -e
if ((rc != 0 && rc != 3)); then
    echo "bench.sh: mailtrace exited with $rc on the reference run" >&2
    exit 1
fi
read -r MESSAGES SCANNED_BYTES ERRORS < <(python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))["scanned"]
print(s["messages"], s["bytes"], s["errors"])' "$REPORT")

# ---------------------------------------------------------------------------- timing

median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

# Busy and idle CPU time of the whole machine so far, in clock ticks (see proc(5)).
cpu_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6; exit}' /proc/stat 2>/dev/null || echo 0 0; }

# KiB read from block devices since boot (see proc(5)): a timed run that reads from disk was not
# served by the page cache, which some virtual machines shrink behind the scenes.
disk_kib() { awk '/^pgpgin / {print $2; exit}' /proc/vmstat 2>/dev/null || echo 0; }
TICK_HZ=$(getconf CLK_TCK 2>/dev/null || echo 100)
NCPU=$(nproc)

# Percentage of the machine busy over one second (nothing of ours runs meanwhile).
cpu_busy() {
    local a b
    read -r -a a < <(cpu_ticks)
    sleep 1
    read -r -a b < <(cpu_ticks)
    awk -v bu=$((b[0] - a[0])) -v id=$((b[1] - a[1])) 'BEGIN {printf "%.0f", (bu + id) ? 100 * bu / (bu + id) : 0}'
}

# With WAIT_IDLE=SECONDS, each timed run first waits (up to that long) for a quiet machine.
WAIT_IDLE=${WAIT_IDLE:-0}
wait_idle() {
    local waited=0
    while ((waited < WAIT_IDLE)) && (($(cpu_busy) > 5)); do waited=$((waited + 1)); done
}

# time_once NAME CMD...: runs CMD once (stdout discarded) and appends its wall time, user+system
# CPU time, peak RSS (KiB) and the CPU other processes used meanwhile (a percentage of the
# machine: above a few percent, that run's wall time is inflated) to the arrays WALL_<NAME>,
# CPUS_<NAME>, RSSS_<NAME> and OTHERS_<NAME>.
time_once() {
    local name=$1
    shift
    declare -g -a "WALL_$name" "CPUS_$name" "RSSS_$name" "OTHERS_$name" "DISK_$name"
    local -n wall="WALL_$name" cpus="CPUS_$name" rsss="RSSS_$name" others="OTHERS_$name" disk="DISK_$name"
    local t0 t1 rc c0 c1 own d0
    wait_idle
    d0=$(disk_kib)
    read -r -a c0 < <(cpu_ticks)
    t0=$EPOCHREALTIME
    set +e
    if ((HAVE_TIME)); then
        /usr/bin/time -v -o "$SCRATCH/time.txt" "$@" >/dev/null
    else
        "$@" >/dev/null
    fi
    rc=$?
    set -e
    t1=$EPOCHREALTIME
    read -r -a c1 < <(cpu_ticks)
    # rg exits 1 when nothing matched; mailtrace 3 when it found tracking (not used here).
    if ((rc != 0)) && ! [[ $rc -eq 1 && $name == rg ]]; then
        if ((HAVE_TIME)) && [[ -s $SCRATCH/time.txt ]]; then cat "$SCRATCH/time.txt" >&2; fi
        echo "bench.sh: '$*' failed with exit code $rc" >&2
        exit 1
    fi
    wall+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}')")
    own=0
    if ((HAVE_TIME)); then
        rsss+=("$(awk -F': ' '/Maximum resident set size/ {print $2}' "$SCRATCH/time.txt")")
        own=$(awk -F': ' '/User time \(seconds\)|System time \(seconds\)/ {s += $2} END {printf "%.2f", s}' "$SCRATCH/time.txt")
        cpus+=("$own")
    fi
    disk+=($(($(disk_kib) - d0)))
    others+=("$(awk -v busy=$((c1[0] - c0[0])) -v hz="$TICK_HZ" -v own="$own" -v a="$t0" -v b="$t1" -v n="$NCPU" \
        'BEGIN {o = busy / hz - own; if (o < 0) o = 0; printf "%.0f", 100 * o / ((b - a) * n)}')")
}

# summarise NAME: from the runs time_once recorded, sets T_<NAME> (median seconds), CPU_<NAME>
# (median user+system seconds, or empty), RSS_<NAME> (max KiB, or empty), ALL_<NAME> (every wall
# time, in run order) and OTHER_<NAME> (the most CPU other processes used during one run).
summarise() {
    local name=$1
    local -n wall="WALL_$name" cpus="CPUS_$name" rsss="RSSS_$name" others="OTHERS_$name" disk="DISK_$name"
    printf -v "DISKMAX_$name" '%s' "$(printf '%s\n' "${disk[@]}" | sort -n | tail -1)"
    printf -v "T_$name" '%s' "$(printf '%s\n' "${wall[@]}" | median)"
    printf -v "ALL_$name" '%s' "${wall[*]}"
    printf -v "OTHER_$name" '%s' "$(printf '%s\n' "${others[@]}" | sort -n | tail -1)"
    if ((HAVE_TIME)); then
        printf -v "RSS_$name" '%s' "$(printf '%s\n' "${rsss[@]}" | sort -n | tail -1)"
        printf -v "CPU_$name" '%s' "$(printf '%s\n' "${cpus[@]}" | median)"
    else
        printf -v "RSS_$name" '%s' ""
        printf -v "CPU_$name" '%s' ""
    fi
    note "$(printf '%-4s runs: %s s; other processes: %s %% of the CPU' "$name" "${wall[*]}" "${others[*]}")"
}

BUSY_BEFORE=$(cpu_busy)
if ((BUSY_BEFORE > 10)); then
    note "warning: $BUSY_BEFORE% of the CPU is busy with other work; timings will be noisy (WAIT_IDLE=600 waits for quiet)"
fi

# The Python baseline (scripts/baseline_bs4.py: stdlib mailbox/email + BeautifulSoup). It is
# about two orders of magnitude slower, so past PYTHON_MAX it reads a leading slice of whole
# messages and its row is compared by throughput (MiB/s), not by time.
PY_INPUT=$INPUT PY_BYTES=$INPUT_BYTES PY_MESSAGES=$MESSAGES PY_SLICED=0
if ((HAVE_PY)); then
    py_max=$(python3 -c '
import sys
t = sys.argv[1]
m = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30}.get(t[-1:].lower())
print(int(t[:-1] if m else t) * (m or 1))' "$PYTHON_MAX")
    if ((py_max > 0 && INPUT_BYTES > py_max)); then
        PY_SLICED=1
        if [[ -d $INPUT ]]; then
            # The first .eml files in sorted path order, up to py_max bytes, linked into a scratch folder.
            PY_INPUT="$SCRATCH/python-slice"
            read -r PY_MESSAGES PY_BYTES < <(python3 - "$INPUT" "$PY_INPUT" "$py_max" <<'PYEOF'
import os, sys
src, dst, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
files = sorted(os.path.join(root, n) for root, _, names in os.walk(src) for n in names if n.endswith(".eml"))
os.mkdir(dst)
count = total = 0
for path in files:
    size = os.path.getsize(path)
    if count and total + size > limit:
        break
    count += 1
    total += size
    os.symlink(os.path.abspath(path), os.path.join(dst, f"{count:06d}.eml"))
print(count, total)
PYEOF
)
        else
            # Cut before the last separator (a blank line, then "From ") within the first py_max bytes.
            # When even the first message is larger than that, the whole input is read.
            if read -r PY_MESSAGES PY_BYTES < <(python3 - "$INPUT" "$SCRATCH/python-slice.mbox" "$py_max" <<'PYEOF'
import re, sys
src, dst, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(src, "rb") as f:
    head = f.read(limit)
cut = head.rfind(b"\n\nFrom ")
if cut < 0:
    sys.exit(0)
head = head[:cut + 2]
with open(dst, "wb") as f:
    f.write(head)
print(len(re.findall(rb"(?:^|\n\n)From ", head)), len(head))
PYEOF
); then
                PY_INPUT="$SCRATCH/python-slice.mbox"
            else
                PY_SLICED=0 PY_BYTES=$INPUT_BYTES PY_MESSAGES=$MESSAGES
            fi
        fi
        if ((PY_SLICED)); then
            note "Python baseline: a leading slice of $PY_MESSAGES messages, $PY_BYTES bytes (PYTHON_MAX=$PYTHON_MAX)"
        fi
    fi
fi

# The commands are timed in rounds, each command once per round, so that every ratio can be
# taken between runs made minutes apart at most: this machine's speed drifts by ±15 % from
# one minute to the next, which would bias ratios between commands timed in separate blocks.
ROUNDS=$((RUNS > PYTHON_RUNS || !HAVE_PY ? RUNS : PYTHON_RUNS))
((HAVE_PY)) && note "the Python baseline runs in $PYTHON_RUNS of the $ROUNDS rounds (slow)"
for ((round = 1; round <= ROUNDS; round++)); do
    if ((round <= RUNS)); then
        # --no-ignore: the cache lives under target/, which .gitignore lists; rg would skip it.
        ((HAVE_RG)) && time_once rg rg -c --no-ignore 'From ' "$INPUT"
        time_once j1 "$BIN" scan "$INPUT" --quiet -o /dev/null --jobs 1
        time_once j2 "$BIN" scan "$INPUT" --quiet -o /dev/null --jobs 2
        # JSONL keeps no per-message results in memory: its peak RSS is the pipeline's own.
        time_once j2l "$BIN" scan "$INPUT" --quiet -o /dev/null --jobs 2 --format jsonl
    fi
    if ((HAVE_PY && round <= PYTHON_RUNS)); then
        time_once py python3 scripts/baseline_bs4.py "$PY_INPUT"
    fi
done
((HAVE_RG)) && summarise rg
summarise j1
summarise j2
summarise j2l
((HAVE_PY)) && summarise py

BUSY_AFTER=$(cpu_busy)

# ---------------------------------------------------------------------------- table

CPU=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || true)
MEM_GIB=$(awk '/^MemTotal:/ {printf "%.0f", $2 / 1048576}' /proc/meminfo 2>/dev/null || echo "?")
REV=$(git rev-parse --short HEAD 2>/dev/null || echo "unknown")
git diff --quiet HEAD -- src rules Cargo.toml Cargo.lock build.rs 2>/dev/null || REV="$REV+local changes"
if ((PGO)); then REV="$REV (profile-guided build)"; fi
RG_VERSION="rg not run"
if ((HAVE_RG)); then
    RG_VERSION=$(rg --version)
    RG_VERSION=${RG_VERSION%%$'\n'*}
fi
RESULTS="$BENCH_DIR/results-$MODE-$TAG.md"

python3 - "$INPUT_BYTES" "$MESSAGES" "$HAVE_RG" "$RUNS" \
    "${T_rg:-0}" "${CPU_rg:-}" "${RSS_rg:-}" "$T_j1" "$CPU_j1" "$RSS_j1" "$T_j2" "$CPU_j2" "$RSS_j2" \
    "$T_j2l" "$CPU_j2l" "$RSS_j2l" \
    "$HAVE_PY" "$PYTHON_RUNS" "$PY_BYTES" "$PY_MESSAGES" "$PY_SLICED" "${T_py:-0}" "${CPU_py:-}" "${RSS_py:-}" \
    "$ALL_j1" "$ALL_j2" "$ALL_j2l" "${ALL_py:-}" \
    >"$SCRATCH/table.md" <<'EOF'
import sys
nbytes, messages, have_rg, runs = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1", sys.argv[4]
t_rg, cpu_rg, rss_rg, t1, cpu1, rss1, t2, cpu2, rss2, t2l, cpu2l, rss2l = sys.argv[5:17]
t_rg, t1, t2, t2l = float(t_rg), float(t1), float(t2), float(t2l)
have_py, py_runs, py_bytes, py_messages, py_sliced, t_py, cpu_py, rss_py = sys.argv[17:25]
have_py, py_bytes, py_messages, py_sliced, t_py = (have_py == "1", int(py_bytes), int(py_messages),
                                                   py_sliced == "1", float(t_py))
all_j1, all_j2, all_j2l, all_py = ([float(x) for x in a.split()] for a in sys.argv[25:29])
mib = nbytes / 2**20
py_mib = py_bytes / 2**20

def median(values):
    values = sorted(values)
    n = len(values)
    return (values[n // 2] + values[(n - 1) // 2]) / 2

def per_round(label, ratios):
    """One ratio per round (both commands timed minutes apart at most), and their median."""
    listed = " ".join(f"{r:.2f}" for r in ratios)
    return f"{label}: median {median(ratios):.2f}× (rounds: {listed})"

def rss(v):
    return f"{int(v) / 1024:.0f}" if v else "n/a"

def cpu(v):
    return f"{float(v):.2f}" if v else "n/a"

rows = []
if have_rg:
    rows.append(("`rg -c 'From '`", t_rg, cpu(cpu_rg), "—", "1.0×", "—", rss(rss_rg)))
for label, t, c, r, scaling in (("`mailtrace --jobs 1`", t1, cpu1, rss1, "1.00×"),
                                ("`mailtrace --jobs 2`", t2, cpu2, rss2, f"{t1 / t2:.2f}×"),
                                ("`mailtrace --jobs 2 --format jsonl`", t2l, cpu2l, rss2l, f"{t1 / t2l:.2f}×")):
    vs = f"{t / t_rg:.1f}×" if have_rg and t_rg > 0 else "n/a"
    rows.append((label, t, cpu(c), f"{messages / t:,.0f}", vs, scaling, rss(r)))
print(f"| command | wall s (median of {runs}) | CPU s (user+sys) | MiB/s | messages/s | time vs rg "
      "| speed-up vs --jobs 1 | peak RSS (MiB) |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for label, t, c, mps, vs, scaling, r in rows:
    print(f"| {label} | {t:.2f} | {c} | {mib / t:,.0f} | {mps} | {vs} | {scaling} | {r} |")
if have_py:
    # Compared by throughput: on a slice its time is not comparable with the rows above.
    label = "`python3 baseline_bs4.py`"
    if py_sliced:
        label += f" (first {py_mib:.0f} MiB)"
    vs = "—" if py_sliced or not have_rg or t_rg <= 0 else f"{t_py / t_rg:.1f}×"
    print(f"| {label} | {t_py:.2f} (median of {py_runs}) | {cpu(cpu_py)} | {py_mib / t_py:,.2f} "
          f"| {py_messages / t_py:,.1f} | {vs} | — | {rss(rss_py)} |")
    print()
    where = (f"the baseline read a leading slice of {py_messages:,} whole messages ({py_mib:.1f} MiB) "
             "of the same input" if py_sliced else "both read the whole input")
    line = (f"ratio mailtrace --jobs 2 vs python: {(mib / t2) / (py_mib / t_py):.1f}× "
            f"(--jobs 1: {(mib / t1) / (py_mib / t_py):.1f}×), by wall-clock MiB/s; {where}")
    if cpu_py and cpu1:
        line += (f". CPU seconds per MiB, python over mailtrace --jobs 1: "
                 f"{(float(cpu_py) / py_mib) / (float(cpu1) / mib):.1f}×")
    print(line)
print()
print("ratios within each round, the figures to quote on a machine whose speed drifts:")
print("- " + per_round("--jobs 2 over --jobs 1", [a / b for a, b in zip(all_j1, all_j2)]))
print("- " + per_round("--jobs 2 --format jsonl over --jobs 1", [a / b for a, b in zip(all_j1, all_j2l)]))
if have_py:
    print("- " + per_round("--jobs 2 over python, by MiB/s",
                           [(mib / b) / (py_mib / p) for b, p in zip(all_j2, all_py)]))
EOF

{
    echo "mailtrace benchmark: $LABEL"
    echo "input: $INPUT_BYTES bytes ($(awk -v b="$INPUT_BYTES" 'BEGIN {printf "%.1f", b / 1048576}') MiB) in $INPUT_FILES file(s); $MESSAGES messages, $SCANNED_BYTES message bytes, $ERRORS errors reported"
    echo "machine: $(nproc) cores ($CPU), $MEM_GIB GiB RAM, $(uname -sr); mailtrace $REV; $RG_VERSION; $(date -u +%Y-%m-%d)"
    echo "runs (s): rg [${ALL_rg:-}]  jobs1 [$ALL_j1]  jobs2 [$ALL_j2]  jobs2 jsonl [$ALL_j2l]  python [${ALL_py:-not run}]"
    echo "other processes: $BUSY_BEFORE% of the CPU before the runs, $BUSY_AFTER% after; at most ${OTHER_j1}% / ${OTHER_j2}% / ${OTHER_j2l}% / ${OTHER_py:-n/a}% during a jobs1 / jobs2 / jsonl / python run"
    echo "read from disk (not the page cache): at most ${DISKMAX_j1} / ${DISKMAX_j2} / ${DISKMAX_j2l} / ${DISKMAX_py:-n/a} KiB in a jobs1 / jobs2 / jsonl / python run"
    echo
    cat "$SCRATCH/table.md"
} | tee "$RESULTS"
note "table saved to $RESULTS"
if ((ERRORS > 0)); then
    note "the scan reported $ERRORS errors; first few:"
    python3 -c '
import json, sys
for e in json.load(open(sys.argv[1]))["errors"][:5]:
    print("  ", e["locator"], e["error"])' "$REPORT" >&2
fi
