#!/usr/bin/env bash
# reckon report at portfolio scale: C contracts (default 50, one vendor each) settled for M months
# (default 24, 2025-01..), a few small records per vendor and month, then `reckon report` over all of
# it, timed (CPU = user + system). Target: under a second of CPU for 24 months x 50 contracts.
# Usage: bench/report.sh BUILD_DIR [CONTRACTS] [MONTHS]
set -euo pipefail
build=$(realpath "${1:?usage: bench/report.sh BUILD_DIR [CONTRACTS] [MONTHS]}")
contracts=${2:-50}; months=${3:-24}
reckon="$build/reckon"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export RECKON_LEDGER="$work/reckon.db" RECKON_NOW=2030-01-01T00:00:00Z
python3 - "$work" "$contracts" "$months" <<'PY'
import sys
work, n, months = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
last_y, last_m = 2025 + (months - 1) // 12, (months - 1) % 12 + 1
with open(f"{work}/records.csv", "w") as rec:
    rec.write("id,vendor,occurred_at,verified,outcome\n")
    for c in range(n):
        with open(f"{work}/c{c:03}.yaml", "w") as f:
            f.write(f"""reckon: 1
contract: bench-{c:03}
version: 1
vendor: vendor-{c:03}
currency: {"EUR" if c % 5 == 4 else "USD"}
timezone: UTC
period: monthly
effective: {{from: 2025-01-01, to: {last_y:04}-{last_m:02}-28}}
records:
  fields:
    outcome: {{enum: [resolved, escalated]}}
metrics:
  tickets: count()
  resolved: count(outcome == "resolved")
  resolution_rate: resolved / tickets
fees:
  - name: Resolution fee
    per: resolved
    price: {1000 + c}.50
penalties:
  - name: Guaranteed resolution rate
    when: resolution_rate < 70%
    amount: 10% * fees
""")
        for m in range(months):
            y, mo = 2025 + m // 12, m % 12 + 1
            for k in range(1 + (c + m) % 4):
                outcome = "escalated" if (c * 7 + m * 3 + k) % 5 == 0 else "resolved"
                rec.write(f"r{c}-{m}-{k},vendor-{c:03},{y:04}-{mo:02}-{10 + k:02}T10:00:00Z,true,{outcome}\n")
PY
"$reckon" register "$work"/c*.yaml > /dev/null
"$reckon" ingest "$work/records.csv" > /dev/null
start=$(date +%s)
for m in $(seq 0 $((months - 1))); do
  "$reckon" close --period "$(printf '%04d-%02d' $((2025 + m / 12)) $((m % 12 + 1)))" > /dev/null
done
echo "ledger: $contracts contracts x $months months settled in $(( $(date +%s) - start )) s"
/usr/bin/time -f '%U %S %e %M' -o "$work/time" "$reckon" report --out "$work/report" > /dev/null
read -r user sys wall rss < "$work/time"
echo "report: cpu $(python3 -c "print(round($user + $sys, 2))") s (user $user, sys $sys), wall $wall s, peak ${rss} KB;" \
  "report.html $(( $(stat -c %s "$work/report/report.html") / 1024 )) KB, report.csv $(( $(wc -l < "$work/report/report.csv") - 1 )) rows"
