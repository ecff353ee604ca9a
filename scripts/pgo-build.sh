#!/usr/bin/env bash
# Profile-guided release build: the fastest mailtrace binary this machine can make.
#
#   scripts/pgo-build.sh        builds target/pgo/mailtrace
#
# Three steps. An instrumented build counts which branches and calls the scan takes; it scans
# a training set: a generated archive (scripts/gen_archive.py, seed 2: the benchmark's archive
# is seed 1) and the repository's fixtures. The counts are merged, and a second build lays out
# and inlines the code by them. The reports are the same as a plain release build's: only the
# machine code's layout changes. See docs/benchmarks.md for what it gains, and on which mail.
#
# Needs llvm-profdata of the LLVM rustc was built with: rustup's llvm-tools component, added
# here when it is missing. Environment: PGO_DIR (work folder, default target/pgo), PGO_SIZE
# (the training archive's size, default 60M).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd -P)
PGO_DIR=${PGO_DIR:-target/pgo}
PGO_SIZE=${PGO_SIZE:-60M}
mkdir -p "$PGO_DIR"
PGO_DIR=$(cd "$PGO_DIR" && pwd -P)

note() { printf '%s\n' "pgo-build.sh: $*" >&2; }

sysroot=$(rustc --print sysroot)
host=$(rustc -vV | sed -n 's/^host: //p')
PROFDATA=$sysroot/lib/rustlib/$host/bin/llvm-profdata
if [[ ! -x $PROFDATA ]]; then
    note "adding rustup's llvm-tools component (llvm-profdata)"
    rustup component add llvm-tools >/dev/null
fi
[[ -x $PROFDATA ]] || { echo "pgo-build.sh: no llvm-profdata at $PROFDATA" >&2; exit 1; }

# A target triple of its own, so that RUSTFLAGS instrument the scanner and not the build
# scripts and proc macros, which run during the build.
note "building the instrumented binary"
rm -rf "$PGO_DIR/profiles"
RUSTFLAGS="-Cprofile-generate=$PGO_DIR/profiles" \
    cargo build --release --quiet --target "$host" --target-dir "$PGO_DIR/instrumented"
INSTRUMENTED=$PGO_DIR/instrumented/$host/release/mailtrace

TRAIN=$PGO_DIR/train-$PGO_SIZE-seed2.mbox
if [[ ! -s $TRAIN ]]; then
    note "generating the training archive ($PGO_SIZE, seed 2)"
    python3 scripts/gen_archive.py --size "$PGO_SIZE" --seed 2 --out "$TRAIN" --quiet
fi

# mailtrace exits 3 when it found tracking, which is the point of the training set.
train() {
    local rc=0
    "$INSTRUMENTED" scan "$@" --quiet -o /dev/null || rc=$?
    ((rc == 0 || rc == 3)) || { echo "pgo-build.sh: training scan of $1 failed ($rc)" >&2; exit 1; }
}
note "training: the generated archive with one and two workers, then the fixtures"
train "$TRAIN" --jobs 2
train "$TRAIN" --jobs 1
train "$ROOT/fixtures" --all-messages

"$PROFDATA" merge -o "$PGO_DIR/merged.profdata" "$PGO_DIR/profiles"

note "building the optimised binary"
RUSTFLAGS="-Cprofile-use=$PGO_DIR/merged.profdata" \
    cargo build --release --quiet --target "$host" --target-dir "$PGO_DIR/optimised"
cp "$PGO_DIR/optimised/$host/release/mailtrace" "$PGO_DIR/mailtrace"
note "built $PGO_DIR/mailtrace"
