#!/usr/bin/env bash
# Real data, end to end: the ServiceNow incident event log (119,998 updates of
# 20,769 incidents, UCI data set 498) settled under contracts/servicenow-itops.yaml.
#   usage: examples/servicenow/run.sh PATH/TO/reckon LEDGER_DIR
# LEDGER_DIR is emptied and receives the ledger (reckon.db), the unpacked export
# and the rejects file. See examples/servicenow/README.md.
set -euo pipefail
reckon=$(realpath "${1:?usage: run.sh PATH/TO/reckon LEDGER_DIR}")
work=${2:?usage: run.sh PATH/TO/reckon LEDGER_DIR}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
contract="$root/contracts/servicenow-itops.yaml"
map="$here/mapping.yaml"
rm -rf "$work"
mkdir -p "$work"
export RECKON_LEDGER="$work/reckon.db"
step() { printf '\n$ %s\n' "$*"; "$@"; }

step "$reckon" check "$contract"

# Unpacked to a file rather than piped on stdin: with --skip-invalid the
# rejected rows go to a rejects file beside the input, here
# $work/incident-event-log.rejects.csv.
csv="$work/incident-event-log.csv"
gzip -dc "$here/incident-event-log.csv.gz" > "$csv"

# 1. Ingest is atomic. The export holds five (number, sys_mod_count) keys that
#    occur twice with different content: the whole file is refused (exit 1),
#    every conflict is listed with both lines, and no ledger is written.
set +e
step "$reckon" ingest --map "$map" "$csv"
status=$?
set -e
if [ "$status" -ne 1 ]; then
  echo "expected the export to be refused with exit 1, got $status" >&2
  exit 1
fi
if [ -e "$RECKON_LEDGER" ]; then
  echo "a refused ingest left a ledger behind" >&2
  exit 1
fi

# 2. With --skip-invalid the valid rows are written and the five conflicting
#    rows (the later occurrence of each key) go to the rejects file with a
#    reason column: rows = accepted + duplicates + rejected.
step "$reckon" ingest --skip-invalid --map "$map" "$csv"
printf '\n$ cut -d, -f1,2,6 %s  (number, incident_state, sys_mod_count)\n' "${csv%.csv}.rejects.csv"
cut -d, -f1,2,6 "${csv%.csv}.rejects.csv"

# 3. Month-end settlement, in order: March, April, May 2016 (the export's
#    incidents were opened from 29 February to May 2016).
for period in 2016-03 2016-04 2016-05; do
  step "$reckon" settle --contract "$contract" --period "$period"
done

step "$reckon" verify
step "$reckon" status
printf '\nLedger: %s\n' "$RECKON_LEDGER"
