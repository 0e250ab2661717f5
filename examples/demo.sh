#!/usr/bin/env bash
# The month-end walkthrough behind `make demo`: a fresh ledger, the example
# month of records for contracts/acme-support.yaml, settlement of 2026-10,
# verification of the chain; then November, with October records that arrived
# late and corrections (a reopened conversation voided, an escalation resolved,
# one re-dated into November): settling 2026-11 re-evaluates October and posts
# an adjustment line for it.
#   usage: examples/demo.sh PATH/TO/reckon WORK_DIR
set -euo pipefail
reckon=$(realpath "${1:?usage: demo.sh PATH/TO/reckon WORK_DIR}")
work=${2:?usage: demo.sh PATH/TO/reckon WORK_DIR}
root=$(cd "$(dirname "$0")/.." && pwd)
rm -rf "$work"
mkdir -p "$work"
export RECKON_LEDGER="$work/reckon.db"
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }

step "$reckon" check "$root/contracts/acme-support.yaml"
step "$reckon" ingest "$root/examples/acme-support/records-2026-10.csv"
# Ingest is idempotent: the same file again is all duplicates.
step "$reckon" ingest "$root/examples/acme-support/records-2026-10.csv"
step "$reckon" settle --contract "$root/contracts/acme-support.yaml" --period 2026-10
step "$reckon" verify
# November: its records, plus late October records and corrections.
ex="$root/examples/acme-support"
step "$reckon" ingest "$ex/records-2026-11.csv" "$ex/late-2026-10.csv" "$ex/corrections-2026-10.csv"
step "$reckon" settle --contract "$root/contracts/acme-support.yaml" --period 2026-11
step "$reckon" verify
step "$reckon" status
printf '\nLedger: %s\n' "$RECKON_LEDGER"
