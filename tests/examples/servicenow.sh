#!/usr/bin/env bash
# CTest checks of the real-data example (examples/servicenow), one per mode:
#   refused      the export without --skip-invalid: exit 1, the five conflicting
#                keys listed, nothing written (no ledger file; on an existing
#                ledger the head is unchanged)
#   skip-invalid exactly the five conflicting rows rejected, to a rejects file
#                with a reason column; rows = accepted + duplicates + rejected
#   settle       examples/servicenow/run.sh end to end, then every metric,
#                line and total of 2016-03..05 against servicenow_check.py, an
#                independent computation from the raw CSV (Python stdlib, exact)
#   usage: tests/examples/servicenow.sh MODE PATH/TO/reckon WORK_DIR
set -euo pipefail
mode=${1:?usage: servicenow.sh refused|skip-invalid|settle PATH/TO/reckon WORK_DIR}
reckon=$(realpath "${2:?reckon binary}")
work=${3:?work dir}
root=$(cd "$(dirname "$0")/../.." && pwd)
ex="$root/examples/servicenow"
map="$ex/mapping.yaml"
rm -rf "$work"
mkdir -p "$work"
export RECKON_LEDGER="$work/reckon.db"
csv="$work/incident-event-log.csv"
rejects="$work/incident-event-log.rejects.csv"
gzip -dc "$ex/incident-event-log.csv.gz" > "$csv"
fail() { echo "FAIL: $*" >&2; exit 1; }
# The five keys that occur twice with different content, and the data line of
# the later (rejected) occurrence of each (line 1 is the header).
conflicts="INC0000130:2:332 INC0000134:2:348 INC0000135:7:358 INC0000137:1:360 INC0000164:3:441"

json_get() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval("d" + sys.argv[1]))' "$1"; }

case "$mode" in
refused)
  # Fresh ledger: refused whole, no ledger file created.
  set +e; "$reckon" ingest --map "$map" "$csv" > "$work/out" 2> "$work/err"; s=$?; set -e
  [ "$s" = 1 ] || fail "exit $s, expected 1"
  [ ! -e "$RECKON_LEDGER" ] || fail "a refused ingest created the ledger"
  [ ! -e "$rejects" ] || fail "a refused ingest wrote a rejects file"
  [ "$(grep -c 'conflicts with' "$work/err")" = 5 ] || fail "expected 5 conflicts: $(cat "$work/err")"
  for c in $conflicts; do
    IFS=: read -r id rev line <<< "$c"
    grep -q "^$csv:$line: record (servicedesk-co, $id, revision $rev) conflicts with $csv:[0-9]*: same key, different content" "$work/err" \
      || fail "conflict $id revision $rev (line $line) not reported: $(cat "$work/err")"
  done
  tail -1 "$work/err" | grep -qx '5 invalid row(s); nothing was written' || fail "summary line: $(tail -1 "$work/err")"
  # Existing ledger: a first part of the export is written, then the whole
  # export is refused (the stored first occurrences conflict with the later
  # rows) and the head does not move.
  head -n 400 "$csv" > "$work/part.csv"
  "$reckon" ingest --map "$map" "$work/part.csv" --json > "$work/part.json" 2> "$work/err" \
    && fail "the first 399 rows hold 4 conflicts and must be refused too"
  head -n 330 "$csv" > "$work/part.csv"
  "$reckon" ingest --map "$map" "$work/part.csv" --json > "$work/part.json"
  [ "$(json_get '["accepted"]' < "$work/part.json")" = 329 ] || fail "first 329 rows not accepted"
  before=$("$reckon" status --json | json_get '["head"]')
  set +e; "$reckon" ingest --map "$map" "$csv" > "$work/out" 2> "$work/err"; s=$?; set -e
  [ "$s" = 1 ] || fail "exit $s on an existing ledger, expected 1"
  [ "$(grep -c 'conflicts with' "$work/err")" = 5 ] || fail "expected 5 conflicts on an existing ledger: $(cat "$work/err")"
  after=$("$reckon" status --json | json_get '["head"]')
  [ "$before" = "$after" ] || fail "head moved from $before to $after"
  [ "$("$reckon" status --json | json_get '["records"]')" = 329 ] || fail "record count changed"
  "$reckon" verify > /dev/null || fail "verify"
  echo "ok: refused whole, head $after unchanged"
  ;;
skip-invalid)
  "$reckon" ingest --skip-invalid --map "$map" "$csv" --json > "$work/sum.json"
  python3 - "$work/sum.json" "$rejects" "$csv" "$conflicts" <<'PY'
import csv, json, sys
summary = json.load(open(sys.argv[1]))
rejects_path, input_path, conflicts = sys.argv[2], sys.argv[3], sys.argv[4].split()
def check(cond, what):
    if not cond:
        sys.exit(f"FAIL: {what}: {summary}")
check(summary["rows"] == 119998, "rows")
check(summary["rejected"] == 5, "rejected")
check(summary["duplicates"] == 0, "duplicates")
check(summary["accepted"] == 119993, "accepted")
check(summary["rows"] == summary["accepted"] + summary["duplicates"] + summary["rejected"], "rows = accepted + duplicates + rejected")
check(summary["late"] == 0, "late")
check(summary["rejects_files"] == [rejects_path], "rejects_files")
with open(input_path, newline="") as f:
    raw = f.read().split("\n")
with open(rejects_path, newline="") as f:
    text = f.read()
rows = list(csv.reader(text.splitlines()))
header = raw[0].split(",")
check(rows[0] == ["reason"] + header, "rejects header = reason + input header")
check(len(rows) == 6, f"rejects file has {len(rows) - 1} data rows")
lines = text.split("\n")
for (number, rev, line), row, out in zip((c.split(":") for c in conflicts), rows[1:], lines[1:]):
    # the reason, then the input line verbatim
    check(out.endswith("," + raw[int(line) - 1]), f"rejected row for {number} is not line {line} verbatim")
    data = row[1:]
    check(data[0] == number and data[header.index("sys_mod_count")] == rev, f"rejected key {data[0]}")
    check("conflicts with" in row[0] and f"{number}, revision {rev}" in row[0], f"reason: {row[0]}")
print("ok:", summary["rows"], "rows =", summary["accepted"], "accepted +", summary["duplicates"], "duplicates +", summary["rejected"], "rejected")
PY
  # The same export again: what was written is a duplicate, the five later
  # rows are rejected again, nothing new is written.
  "$reckon" ingest --skip-invalid --map "$map" "$csv" --json > "$work/again.json"
  [ "$(json_get '["accepted"], d["duplicates"], d["rejected"], d["rows"]' < "$work/again.json")" = "(0, 119993, 5, 119998)" ] \
    || fail "second ingest: $(cat "$work/again.json")"
  [ "$(grep -c '' "$rejects")" = 6 ] || fail "second rejects file"
  "$reckon" verify > /dev/null || fail "verify"
  echo "ok: again: 0 accepted + 119993 duplicates + 5 rejected"
  ;;
settle)
  bash "$ex/run.sh" "$reckon" "$work/run" > "$work/run.log" 2>&1 || { cat "$work/run.log"; fail "run.sh"; }
  export RECKON_LEDGER="$work/run/reckon.db"
  for p in 2016-03 2016-04 2016-05; do
    "$reckon" show --contract servicenow-itops --period "$p" --json > "$work/$p.json"
  done
  python3 "$root/tests/examples/servicenow_check.py" "$ex/incident-event-log.csv.gz" \
    "$work/2016-03.json" "$work/2016-04.json" "$work/2016-05.json"
  ;;
*) fail "unknown mode $mode" ;;
esac
