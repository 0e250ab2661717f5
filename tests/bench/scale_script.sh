#!/usr/bin/env bash
# bench/scale.sh (bench/README.md, "A year of data"): a bad PAIRS is refused
# before anything is written, and a tiny run completes its back-to-back pairs
# of ingest and settle. Checks that the script works, never how fast.
#   usage: scale_script.sh RECKON BENCH_GEN SOURCE_DIR
set -euo pipefail
reckon=$1 gen=$2 src=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/build"
ln -s "$reckon" "$work/build/reckon"
ln -s "$gen" "$work/build/bench_gen"
fail() { echo "FAIL: $*" >&2; exit 1; }

# refused PAIRS WANT MONTHS: exit 2, WANT on stderr, no bench-scale directory.
refused() {
  local rc=0
  PAIRS=$1 bash "$src/bench/scale.sh" "$work/build" 100 "$3" > "$work/out" 2> "$work/err" || rc=$?
  [ "$rc" = 2 ] || fail "PAIRS=$1 after $3 month(s): exit $rc, want 2"
  grep -qF "$2" "$work/err" || fail "PAIRS=$1: stderr lacks '$2': $(cat "$work/err")"
  [ ! -e "$work/build/bench-scale" ] || fail "PAIRS=$1: refused but wrote $work/build/bench-scale"
}
refused x "PAIRS must be a whole number" 2
refused -1 "PAIRS must be a whole number" 2
refused 37 "use PAIRS <= 36" 12
refused 47 "use PAIRS <= 46" 2

# Two months of 300 UUID records, then two pairs (2026-03 and 2026-04).
PAIRS=2 bash "$src/bench/scale.sh" "$work/build" 300 2 uuid > "$work/out" 2> "$work/err" ||
  fail "the small run failed: $(cat "$work/err")"
for want in "pair 1: settle 2026-03 of the year" "pair 2: settle 2026-04 of the year" \
            "pair 2: into the year" \
            "ingest rate into the year / into an empty ledger, back to back: median" \
            "settle of the year's month / month 1 of an empty ledger, back to back: median"; do
  grep -qF "$want" "$work/out" || fail "output lacks '$want':
$(cat "$work/out")"
done
# The pairs' settlements are recorded: the year's ledger holds 2026-04's
# statement (the contract's effective dates reach past the year) and verifies.
db="$work/build/bench-scale/scale.db"
export RECKON_NOW=2030-01-01T00:00:00Z
"$reckon" --ledger "$db" show --contract acme-support --period 2026-04 --json > "$work/show" 2>&1 ||
  fail "no statement of 2026-04 in the year's ledger: $(cat "$work/show")"
grep -qF '"period": "2026-04"' "$work/show" || fail "show printed another period: $(head -c 400 "$work/show")"
"$reckon" --ledger "$db" verify > /dev/null || fail "the year's ledger does not verify"
echo "ok: scale.sh refuses bad PAIRS before writing and completes its settle pairs"
