#!/usr/bin/env bash
# The month-end walkthrough behind `make demo`, on a fresh ledger, as of 5 December 2026
# (RECKON_NOW; set it yourself to replay another day):
#   1. the three example contracts are checked and registered;
#   2. the quarterly contract's first three quarters of 2026 are settled (its history);
#   3. October: records of the support and IT-operations vendors, then `reckon close` settles
#      every contract that is due (the quarterly one is not: 2026-Q4 ends 1 January);
#   4. November: its records, plus October records that arrived late and corrections (a
#      reopened conversation voided, an escalation resolved, one re-dated into November):
#      closing November re-evaluates October and posts an adjustment line for it;
#   5. the chain is verified and `status` shows every contract's nets and what is due next.
#   6. `report` writes the portfolio dashboard (report.html, .json, .csv) to WORK_DIR/report.
#   usage: examples/demo.sh PATH/TO/reckon WORK_DIR
set -euo pipefail
reckon=$(realpath "${1:?usage: demo.sh PATH/TO/reckon WORK_DIR}")
work=${2:?usage: demo.sh PATH/TO/reckon WORK_DIR}
root=$(cd "$(dirname "$0")/.." && pwd)
rm -rf "$work"
mkdir -p "$work"
export RECKON_LEDGER="$work/reckon.db"
export RECKON_NOW="${RECKON_NOW:-2026-12-05T09:00:00Z}"
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }
printf 'Month-end as of RECKON_NOW=%s\n' "$RECKON_NOW"

c="$root/contracts"
ex="$root/examples/acme-support"
step "$reckon" check "$c/acme-support.yaml" "$c/acme-itops.yaml" "$c/acme-quarterly.yaml"
step "$reckon" register "$c/acme-support.yaml" "$c/acme-itops.yaml" "$c/acme-quarterly.yaml"
# The quarterly contract's history: Q1-Q3 2026 (volume tiers, a minimum, a three-quarter streak bonus).
bash "$root/examples/acme-quarterly/generate.sh" > "$work/quarterly-2026.csv"
step "$reckon" ingest "$work/quarterly-2026.csv"
for q in 2026-Q1 2026-Q2 2026-Q3; do
  step "$reckon" settle --contract acme-quarterly --period "$q" --json > "$work/acme-quarterly-$q.json"
  printf 'acme-quarterly %s net %s\n' "$q" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["totals"]["net"])' "$work/acme-quarterly-$q.json")"
done
# October.
step "$reckon" ingest "$ex/records-2026-10.csv" "$root/examples/acme-itops/records-2026-10.csv"
# Ingest is idempotent: the same file again is all duplicates.
step "$reckon" ingest "$ex/records-2026-10.csv"
step "$reckon" close --period 2026-10
step "$reckon" show --contract acme-support --period 2026-10
# November: its records, plus late October records and corrections.
step "$reckon" ingest "$ex/records-2026-11.csv" "$ex/late-2026-10.csv" "$ex/corrections-2026-10.csv" \
  "$root/examples/acme-itops/records-2026-11.csv"
step "$reckon" close --period 2026-11
step "$reckon" show --restated --contract acme-support --period 2026-10
step "$reckon" verify
step "$reckon" status
printf '\nLedger: %s\n' "$RECKON_LEDGER"
# The portfolio dashboard over every settled period: report.html (open it in a browser), .json, .csv.
step "$reckon" report --out "$work/report"
printf 'Report: %s\n' "$work/report/report.html"
