#!/usr/bin/env bash
# Scores the detector against a hand-labelled folder of real mail (the team's development
# corpus lives outside the repository, in ../shared/corpus). Optional: nothing in the tests
# depends on it.
#   scripts/eval-corpus.sh [CORPUS_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-../shared/corpus}"
if [ ! -d "$corpus/phishing_pot" ] || [ ! -f "$corpus/score.py" ]; then
    echo "no labelled corpus at $corpus (expected phishing_pot/, LABELS.jsonl, score.py)" >&2
    exit 2
fi
cargo build --release --quiet
report="$(mktemp)"
trap 'rm -f "$report"' EXIT
./target/release/mailtrace scan "$corpus/phishing_pot" --quiet -o "$report"
python3 "$corpus/score.py" "$report" "$corpus/LABELS.jsonl"
