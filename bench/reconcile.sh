#!/usr/bin/env bash
# Reconcile benchmark (`make bench-reconcile`): N generated records for 2026-10
# ingested and settled, then `reckon reconcile` of N claims (every record's id,
# so the escalated and excluded ones are disputed, plus N/1000 unknown ids)
# against that month. Prints both times, the ratio (target <= 2) and the peak
# memory of each command (GNU time, when installed).
#   usage: bench/reconcile.sh BUILD_DIR [N]      (N defaults to 1,000,000)
set -euo pipefail
build=$(realpath "${1:?usage: bench/reconcile.sh BUILD_DIR [N]}")
n=${2:-1000000}
root=$(cd "$(dirname "$0")/.." && pwd)
work="$build/bench-reconcile"
rm -rf "$work"
mkdir -p "$work"
db="$work/bench.db"

now() { date +%s%N; }
secs() { awk -v t0="$1" -v t1="$2" 'BEGIN { printf "%.3f", (t1 - t0) / 1e9 }'; }
timed() {  # timed OUT_FILE COMMAND...: runs it; OUT_FILE.rss gets "peak-RSS-KiB cpu-seconds" when GNU time exists
  local out=$1; shift
  if [ -x /usr/bin/time ]; then /usr/bin/time -f "%M %U %S" -o "$out.time" "$@" > "$out"; else "$@" > "$out"; echo "? 0 0" > "$out.time"; fi
  local rc=$?
  tail -1 "$out.time" | awk '{ printf "%s %.2f\n", $1, $2 + $3 }' > "$out.rss"
  return $rc
}
rss() { cut -d' ' -f1 "$1.rss"; }
cpu() { cut -d' ' -f2 "$1.rss"; }

"$build/bench_gen" --count "$n" --period 2026-10 --seed 1 > "$work/records.csv"
"$build/reckon" --ledger "$db" ingest "$work/records.csv" > /dev/null
{ cut -d, -f1 "$work/records.csv"; seq 1 $((n / 1000)) | sed 's/^/UNKNOWN-/'; } > "$work/claims.csv"
claims=$(($(wc -l < "$work/claims.csv") - 1))
echo "input: $n records for 2026-10, $claims claims"

sync
t0=$(now)
RECKON_NOW=2027-01-05T00:00:00Z timed "$work/settle.out" "$build/reckon" --ledger "$db" settle --contract "$root/contracts/acme-support.yaml" --period 2026-10
t1=$(now)
settle_s=$(secs "$t0" "$t1")
echo "settle:    $settle_s s (cpu $(cpu "$work/settle.out") s), peak RSS $(rss "$work/settle.out") KiB"

sync
set +e
t0=$(now)
timed "$work/reconcile.out" "$build/reckon" --ledger "$db" reconcile --contract acme-support --period 2026-10 "$work/claims.csv" --out "$work/out"
rc=$?
t1=$(now)
set -e
[ "$rc" = 5 ] || { echo "bench: reconcile exited $rc, expected 5 (differences)" >&2; cat "$work/reconcile.out" >&2; exit 1; }
reconcile_s=$(secs "$t0" "$t1")
echo "reconcile: $reconcile_s s (cpu $(cpu "$work/reconcile.out") s), peak RSS $(rss "$work/reconcile.out") KiB (with --out: $(wc -l < "$work/out/reconciliation.csv") CSV lines)"
awk -v a="$reconcile_s" -v b="$settle_s" -v ca="$(cpu "$work/reconcile.out")" -v cb="$(cpu "$work/settle.out")" \
  'BEGIN { printf "reconcile / settle = %.2f wall, %.2f cpu (target <= 2)\n", a / b, ca / cb }'
sed -n '/claims:/,/^$/p' "$work/reconcile.out"
