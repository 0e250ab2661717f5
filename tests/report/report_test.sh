#!/usr/bin/env bash
# reckon report over the demo portfolio (the three example contracts: acme-support and acme-itops
# for October and November 2026 with a late-October adjustment, acme-quarterly for 2026-Q1..Q3):
# every figure of report.json and report.csv equals `reckon show --json` / `show --restated --json`
# (check_figures.py), for the whole portfolio and for a --contract / --from / --to selection.
# Usage: report_test.sh RECKON_BINARY SOURCE_DIR
set -euo pipefail
bin=$(realpath "$1"); src=$(realpath "$2")
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
RECKON_NOW=2026-12-05T09:00:00Z bash "$src/examples/demo.sh" "$bin" "$work/demo" > "$work/demo.log" 2>&1 \
  || { cat "$work/demo.log" >&2; echo "FAIL: demo.sh" >&2; exit 1; }
tail -n 1 "$work/demo.log" | grep -qx "Report: $work/demo/report/report.html" || { echo "FAIL: demo.sh does not end with the report's path" >&2; exit 1; }
db="$work/demo/reckon.db"
python3 "$src/tests/report/check_figures.py" "$bin" "$db" "$work/demo/report"
# acme-support's October was adjusted by November's late records: its final net differs from its net.
python3 - "$work/demo/report/report.json" <<'PY'
import json, sys
rows = {(r["contract"], r["period"], r["measure"]): r["value"] for r in json.load(open(sys.argv[1]))["rows"]}
assert rows[("acme-support", "2026-10", "adjustments_later")] != "0.00", rows[("acme-support", "2026-10", "adjustments_later")]
assert {p for (c, p, m) in rows if c == "acme-quarterly"} == {"2026-Q1", "2026-Q2", "2026-Q3"}
print("ok: October's later adjustment and the quarters are in the report")
PY
"$bin" report --ledger "$db" --out "$work/sel" --contract acme-support --contract "$src/contracts/acme-quarterly.yaml" --from 2026-Q2 --to 2026-10 > /dev/null
# The selection's rows are the full report's rows of those periods, figure for figure.
python3 -c "import sys; full=set(open(sys.argv[1]).read().splitlines()); sel=open(sys.argv[2]).read().splitlines(); bad=[r for r in sel if r not in full]; sys.exit('FAIL: ' + str(bad[:3]) if bad else 0)" \
  "$work/demo/report/report.csv" "$work/sel/report.csv"
cut -d, -f1,4 "$work/sel/report.csv" | sort -u | tr '\n' ' ' | grep -qx 'acme-quarterly,2026-Q2 acme-quarterly,2026-Q3 acme-support,2026-10 contract,period ' \
  || { cut -d, -f1,4 "$work/sel/report.csv" | sort -u >&2; echo "FAIL: --from 2026-Q2 --to 2026-10 selection" >&2; exit 1; }
# Self-contained HTML: no scripts, no external resources.
if grep -Eiq '<script|<link|src=|url\(|@import|https?://' "$work/demo/report/report.html"; then
  echo "FAIL: report.html refers to external resources or has scripts" >&2; exit 1
fi
echo "ok: report figures"
