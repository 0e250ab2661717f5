#!/usr/bin/env bash
# Benchmarks (`make bench`): ingest of N generated records against the ingest
# floor (bench/floor.cpp, built and run in the same invocation),
# then settlement and verification of the same ledger.
#   usage: bench/run.sh BUILD_DIR [N]      (N defaults to 1,000,000)
# Prints one line per measurement and the ingest ratio to the floor
# (target >= 0.8). Rates are computed with awk for display only.
set -euo pipefail
build=$(realpath "${1:?usage: bench/run.sh BUILD_DIR [N]}")
n=${2:-1000000}
root=$(cd "$(dirname "$0")/.." && pwd)
floor_src="$root/bench/floor.cpp"
work="$build/bench-work"
mkdir -p "$work"

now() { date +%s%N; }
rate() { awk -v n="$1" -v t0="$2" -v t1="$3" 'BEGIN { s = (t1 - t0) / 1e9; printf "%.3f s, %.0f /s", s, n / s }'; }

g++ -O2 -o "$work/floor" "$floor_src" -lsqlite3 -lcrypto -Wno-deprecated-declarations
"$build/bench_gen" --count "$n" --period 2026-10 --seed 1 > "$work/records.csv"
echo "input: $n records, $(stat -c %s "$work/records.csv") bytes of CSV"

# Flush earlier runs' dirty pages first, so that neither measurement pays for them.
sync
floor_line=$("$work/floor" "$n" "$work/floor.db" 0)
floor_rate=$(sed -n 's/.*records_per_s=\([0-9]*\).*/\1/p' <<<"$floor_line")
echo "floor:  $floor_line"

rm -f "$work/bench.db" "$work/bench.db-wal" "$work/bench.db-shm" "$work/floor.db" "$work/floor.db-wal" "$work/floor.db-shm"
sync
t0=$(now)
"$build/reckon" --ledger "$work/bench.db" ingest "$work/records.csv" > /dev/null
t1=$(now)
ingest_rate=$(awk -v n="$n" -v t0="$t0" -v t1="$t1" 'BEGIN { printf "%.0f", n / ((t1 - t0) / 1e9) }')
echo "ingest: $(rate "$n" "$t0" "$t1")"
awk -v a="$ingest_rate" -v b="$floor_rate" 'BEGIN { printf "ingest / floor = %.2f (target >= 0.80)\n", a / b }'

t0=$(now)
"$build/reckon" --ledger "$work/bench.db" settle --contract "$root/contracts/acme-support.yaml" --period 2026-10 --json > "$work/statement.json"
t1=$(now)
echo "settle: $(rate "$n" "$t0" "$t1") (records per second, target: 1M in <= 2 s)"

t0=$(now)
"$build/reckon" --ledger "$work/bench.db" verify > /dev/null
t1=$(now)
echo "verify: $(rate "$((n + 2))" "$t0" "$t1") (entries per second, target >= 1M/s)"

# The next month with late data: N records for 2026-11 plus 1% late records
# for the settled 2026-10; the settlement's single pass also classifies every
# change since October's evaluation, then re-evaluates October (a second pass
# over the vendor's records, only because October changed).
late=$((n / 100))
"$build/bench_gen" --count "$n" --period 2026-11 --seed 2 --prefix N > "$work/records-11.csv"
"$build/bench_gen" --count "$late" --period 2026-10 --seed 3 --prefix L > "$work/late-10.csv"
"$build/reckon" --ledger "$work/bench.db" ingest "$work/records-11.csv" "$work/late-10.csv" > /dev/null
sync
t0=$(now)
"$build/reckon" --ledger "$work/bench.db" settle --contract "$root/contracts/acme-support.yaml" --period 2026-11 --json > "$work/statement-11.json"
t1=$(now)
echo "settle with late data: $(rate "$((2 * n + late))" "$t0" "$t1") (records in the ledger per second; $late late records for 2026-10 adjusted)"
grep -c '"kind": "adjustment"' "$work/statement-11.json" > /dev/null || { echo "bench: no adjustment line in the 2026-11 statement" >&2; exit 1; }
