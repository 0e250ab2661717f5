#!/usr/bin/env bash
# The PostgreSQL benchmark (`make bench-pg`): on a throwaway server (tests/pg/cluster.sh), ingest
# of N generated records into a PostgreSQL ledger against the PostgreSQL floor (bench/pg_floor.cpp:
# COPY of the same number of rows with a SHA-256 chain, built and run in the same invocation),
# then settlement and verification of the same ledger.
#   usage: bench/pg.sh BUILD_DIR [N]      (N defaults to 1,000,000)
# Prints one line per measurement and the ingest ratio to the floor (target >= 0.8).
set -euo pipefail
build=$(realpath "${1:?usage: bench/pg.sh BUILD_DIR [N]}")
n=${2:-1000000}
root=$(cd "$(dirname "$0")/.." && pwd)
work="$build/bench-pg-work"
pg=${PG_BENCH_DIR:-/tmp/reckon-bench-pg}
mkdir -p "$work"

now() { date +%s%N; }
rate() { awk -v n="$1" -v t0="$2" -v t1="$3" 'BEGIN { s = (t1 - t0) / 1e9; printf "%.3f s, %.0f /s", s, n / s }'; }

g++ -O2 -o "$work/pg_floor" "$root/bench/pg_floor.cpp" $(pkg-config --cflags --libs libpq) -lcrypto -Wno-deprecated-declarations
"$build/bench_gen" --count "$n" --period 2026-10 --seed 1 > "$work/records.csv"
echo "input: $n records, $(stat -c %s "$work/records.csv") bytes of CSV"

bash "$root/tests/pg/cluster.sh" stop "$pg"
bash "$root/tests/pg/cluster.sh" start "$pg" > /dev/null
trap 'bash "$root/tests/pg/cluster.sh" stop "$pg"' EXIT
floor_db=$(bash "$root/tests/pg/cluster.sh" createdb "$pg" floor)
ledger=$(bash "$root/tests/pg/cluster.sh" createdb "$pg" ledger)

floor_line=$("$work/pg_floor" "$n" "$floor_db")
floor_rate=$(sed -n 's/.*records_per_s=\([0-9]*\).*/\1/p' <<<"$floor_line")
echo "floor:  $floor_line"

"$build/reckon" --ledger "$ledger" register "$root/contracts/acme-support.yaml" > /dev/null
t0=$(now)
"$build/reckon" --ledger "$ledger" ingest "$work/records.csv" > /dev/null
t1=$(now)
ingest_rate=$(awk -v n="$n" -v t0="$t0" -v t1="$t1" 'BEGIN { printf "%.0f", n / ((t1 - t0) / 1e9) }')
echo "ingest: $(rate "$n" "$t0" "$t1")"
awk -v a="$ingest_rate" -v b="$floor_rate" 'BEGIN { printf "ingest / floor = %.2f (target >= 0.80)\n", a / b }'

t0=$(now)
RECKON_NOW=2027-01-01T00:00:00Z "$build/reckon" --ledger "$ledger" settle --contract acme-support --period 2026-10 --json > "$work/statement.json"
t1=$(now)
echo "settle: $(rate "$n" "$t0" "$t1") (records per second)"

t0=$(now)
"$build/reckon" --ledger "$ledger" verify > /dev/null
t1=$(now)
echo "verify: $(rate "$((n + 2))" "$t0" "$t1") (entries per second)"
