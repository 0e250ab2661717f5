#!/usr/bin/env bash
# Scale benchmark (`make bench-scale`): a year of N-record months in one
# ledger, each month ingested then settled under contracts/acme-support.yaml
# (its effective dates widened to the year and the pairs after it, zone set to
# UTC, so that each generated month is exactly one period: in New York time
# the first hours of each UTC month would be late records of the month
# before, and every settlement would re-evaluate it -- `make bench` measures
# that case), then verify of the whole ledger and `verify --since` the head
# before the last month.
#   usage: bench/scale.sh BUILD_DIR [N] [MONTHS] [IDS]
#     N       records per month (default 1,000,000)
#     MONTHS  months of 2026 (default 12)
#     IDS     sequential (default) or uuid: random version-4 UUIDs
# Prints one line per month (ingest rate, settle time, each also in CPU
# seconds -- user + system, steadier than wall time on a shared machine --
# ledger size and bytes per record) and the targets: settle of the last month
# <= 1.2x the first, ingest of the last month >= 0.9x the first (into an
# empty ledger), verify >= 1M entries/s. Then PAIRS back-to-back pairs (env,
# default 5): one more month ingested into the year's ledger, then month 1
# again into an empty one, then each settled, and the medians of their
# ingest and settle ratios -- a shared machine's speed drifts over minutes,
# so months measured minutes apart compare the machine as much as the
# ledger; a pair measured seconds apart does not. Rates and ratios are
# computed with awk for display only.
set -euo pipefail
build=$(realpath "${1:?usage: bench/scale.sh BUILD_DIR [N] [MONTHS] [sequential|uuid]}")
n=${2:-1000000}
months=${3:-12}
ids=${4:-sequential}
pairs=${PAIRS:-5}
case "$pairs" in '' | *[!0-9]*) echo "scale: PAIRS must be a whole number, 0 or more" >&2; exit 2 ;; esac
if [ "$((months + pairs))" -gt 48 ]; then
  echo "scale: PAIRS=$pairs after $months month(s) would reach past 2029-12, where the benchmark's contract ends; use PAIRS <= $((48 - months))" >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
work="$build/bench-scale"
rm -rf "$work"
mkdir -p "$work"
db="$work/scale.db"
export RECKON_NOW=2030-01-01T00:00:00Z  # after the year and any pair's month

# Effective to the end of 2029: the pairs settle the months after the year.
sed -e 's/^effective: .*/effective: {from: 2026-01-01, to: 2029-12-31}/' -e 's/^timezone: .*/timezone: UTC/' \
  "$root/contracts/acme-support.yaml" > "$work/contract.yaml"

now() { date +%s%N; }
# cpu FILE COMMAND...: runs it with stdout to FILE; FILE.cpu gets user + system seconds.
cpu() {
  local out=$1; shift
  /usr/bin/time -f "%U %S" -o "$out.time" "$@" > "$out"
  awk '{ printf "%.2f", $1 + $2 }' "$out.time" > "$out.cpu"
}
secs() { awk -v t0="$1" -v t1="$2" 'BEGIN { printf "%.2f", (t1 - t0) / 1e9 }'; }
# timed FILE COMMAND...: sync, then cpu FILE COMMAND...; $elapsed gets its wall time in ns.
timed() {
  sync
  local t0; t0=$(now)
  cpu "$@"
  elapsed=$(( $(now) - t0 ))
}
bytes() { local b=0 f; for f in "$db" "$db-wal"; do [ -f "$f" ] && b=$((b + $(stat -c %s "$f"))); done; echo "$b"; }

"$build/reckon" --ledger "$db" register "$work/contract.yaml" > /dev/null
echo "scale: $months month(s) of $n records ($ids ids), contract acme-support, $(nproc) cores"
printf '%-8s %14s %11s %10s %11s %10s %12s\n' month ingest_rows/s ingest_cpu_s settle_s settle_cpu_s ledger_MB bytes/record
first_ingest=0; first_settle=0; last_ingest=0; last_settle=0; anchor=""
for m in $(seq 1 "$months"); do
  period=$(printf '2026-%02d' "$m")
  "$build/bench_gen" --count "$n" --period "$period" --seed "$m" --prefix "M$m" --ids "$ids" > "$work/month.csv"
  timed "$work/ingest.out" "$build/reckon" --ledger "$db" ingest "$work/month.csv"
  ingest_rate=$(awk -v n="$n" -v ns="$elapsed" 'BEGIN { printf "%.0f", n / (ns / 1e9) }')
  timed "$work/settle.out" "$build/reckon" --ledger "$db" settle --contract "$work/contract.yaml" --period "$period" --json
  settle_s=$(secs 0 "$elapsed")
  b=$(bytes)
  mb=$((b / 1000000))
  per=$((b / (n * m)))
  # The head after the month before the last: the nightly check's anchor.
  if [ "$m" = "$((months - 1))" ]; then
    anchor=$(python3 -c 'import json,sys; l=json.load(open(sys.argv[1]))["ledger"]; print(str(l["seq"]) + ":" + l["hash"])' "$work/settle.out")
  fi
  ingest_cpu=$(cat "$work/ingest.out.cpu"); settle_cpu=$(cat "$work/settle.out.cpu")
  printf '%-8s %14s %11s %10s %11s %10s %12s\n' "$period" "$ingest_rate" "$ingest_cpu" "$settle_s" "$settle_cpu" "$mb" "$per"
  if [ "$m" = 1 ]; then first_ingest=$ingest_rate; first_settle=$settle_s; first_ingest_cpu=$ingest_cpu; first_settle_cpu=$settle_cpu; fi
  last_ingest=$ingest_rate; last_settle=$settle_s; last_ingest_cpu=$ingest_cpu; last_settle_cpu=$settle_cpu
done
rm -f "$work/month.csv"

sync
t0=$(now)
cpu "$work/verify.out" "$build/reckon" --ledger "$db" verify
t1=$(now)
total=$(sed -n 's/^ok: \([0-9]*\) entries.*/\1/p' "$work/verify.out")
echo "verify: $total entries in $(secs "$t0" "$t1") s = $(awk -v n="$total" -v t0="$t0" -v t1="$t1" 'BEGIN { printf "%.2fM", n / ((t1 - t0) / 1e9) / 1e6 }') entries/s (target >= 1M/s; $(cat "$work/verify.out.cpu") s CPU)"
if [ -n "$anchor" ]; then
  t0=$(now)
  "$build/reckon" --ledger "$db" verify --since "$anchor" > /dev/null
  t1=$(now)
  echo "verify --since ${anchor%%:*} (the last month): $((total - ${anchor%%:*})) entries in $(secs "$t0" "$t1") s"
fi
awk -v a="$last_settle" -v b="$first_settle" -v c="$last_settle_cpu" -v d="$first_settle_cpu" -v m="$months" \
  'BEGIN { printf "settle month %d / month 1 = %.2f wall, %.2f CPU (target <= 1.20)\n", m, a / b, c / d }'
awk -v a="$last_ingest" -v b="$first_ingest" -v c="$last_ingest_cpu" -v d="$first_ingest_cpu" -v m="$months" \
  'BEGIN { printf "ingest rate month %d / month 1 = %.2f wall, %.2f CPU (target >= 0.90)\n", m, a / b, d / c }'

# Back-to-back pairs: month MONTHS + p into the year's ledger (it holds 12M
# records and more), then month 1 (the same rows as the first month) into an
# empty ledger, seconds apart, then the two settled, seconds apart (the
# contract is effective to 2029-12, so PAIRS is at most 48 - MONTHS, checked
# at the start). Each pair's month is the next one after the year (2027-01,
# 2027-02, ...), as a ledger in use grows. (December again
# would be a month of records all late for a period already full: each
# would go between that period's entries of records_period, splitting its
# pages, where a new month appends its own. The pairs did that until
# 2026-12; they got slower with each pair, 0.88, 0.80 and 0.71 in one run.)
if [ "$pairs" -gt 0 ]; then
  "$build/bench_gen" --count "$n" --period 2026-01 --seed 1 --prefix M1 --ids "$ids" > "$work/first.csv"
  ratios=(); settle_ratios=()
  for p in $(seq 1 "$pairs"); do
    m=$((months + p))
    period=$(printf '%04d-%02d' $((2026 + (m - 1) / 12)) $(((m - 1) % 12 + 1)))
    "$build/bench_gen" --count "$n" --period "$period" --seed "$m" --prefix "P$p" --ids "$ids" > "$work/month.csv"
    rm -f "$work/empty.db" "$work/empty.db-wal" "$work/empty.db-shm"
    "$build/reckon" --ledger "$work/empty.db" register "$work/contract.yaml" > /dev/null
    timed "$work/ingest.out" "$build/reckon" --ledger "$db" ingest "$work/month.csv"
    year_ns=$elapsed
    timed "$work/first.out" "$build/reckon" --ledger "$work/empty.db" ingest "$work/first.csv"
    empty_ns=$elapsed
    ratios+=("$(awk -v a="$year_ns" -v b="$empty_ns" 'BEGIN { printf "%.2f", b / a }')")
    awk -v n="$n" -v a="$year_ns" -v b="$empty_ns" -v p="$p" -v c12="$(cat "$work/ingest.out.cpu")" -v c1="$(cat "$work/first.out.cpu")" \
      'BEGIN { printf "pair %d: into the year %.0f rows/s (%.2f s CPU), into an empty ledger %.0f rows/s (%.2f s CPU): %.2f wall, %.2f CPU\n",
               p, n / (a / 1e9), c12, n / (b / 1e9), c1, b / a, c1 / c12 }'
    timed "$work/settle.out" "$build/reckon" --ledger "$db" settle --contract "$work/contract.yaml" --period "$period" --json
    year_ns=$elapsed
    timed "$work/first.out" "$build/reckon" --ledger "$work/empty.db" settle --contract "$work/contract.yaml" --period 2026-01 --json
    empty_ns=$elapsed
    settle_ratios+=("$(awk -v a="$year_ns" -v b="$empty_ns" 'BEGIN { printf "%.2f", a / b }')")
    awk -v a="$year_ns" -v b="$empty_ns" -v p="$p" -v c12="$(cat "$work/settle.out.cpu")" -v c1="$(cat "$work/first.out.cpu")" -v m="$period" \
      'BEGIN { printf "pair %d: settle %s of the year %.2f s (%.2f s CPU), 2026-01 of the empty ledger %.2f s (%.2f s CPU): %.2f wall, %.2f CPU\n",
               p, m, a / 1e9, c12, b / 1e9, c1, a / b, c12 / c1 }'
  done
  rm -f "$work/month.csv" "$work/first.csv" "$work/empty.db" "$work/empty.db-wal" "$work/empty.db-shm"
  median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
  echo "ingest rate into the year / into an empty ledger, back to back: median $(median "${ratios[@]}") wall of $pairs pair(s) (target >= 0.90)"
  echo "settle of the year's month / month 1 of an empty ledger, back to back: median $(median "${settle_ratios[@]}") wall of $pairs pair(s) (target <= 1.20)"
fi
