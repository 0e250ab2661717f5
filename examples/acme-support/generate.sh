#!/usr/bin/env bash
# Regenerates the example months of records for contracts/acme-support.yaml:
# 20,000 conversations of October 2026 (New York time, UTC-04:00 all month) or
# 18,000 of November 2026 (UTC-05:00: DST ends on 1 November at 02:00, so the
# first two hours of the month are written -05:00 too, still in November), or
# 400 late October conversations (late-2026-10); about 65% resolved, a few unverified, a few from the test channel.
# Deterministic: the same generator and arguments give the same bytes (a test
# checks that the committed files are exactly what this script produces).
#   usage: examples/acme-support/generate.sh BUILD_DIR/bench_gen [2026-10|2026-11|late-2026-10] > records-MONTH.csv
set -euo pipefail
gen=${1:?usage: generate.sh PATH/TO/bench_gen [2026-10|2026-11|late-2026-10]}
case "${2:-2026-10}" in
  2026-10) "$gen" --count 20000 --period 2026-10 --seed 2026 --vendor acme-ai --prefix CONV --resolved-percent 65 --unverified-per-mille 3 \
             --offset -04:00 --test-per-mille 5 ;;
  2026-11) "$gen" --count 18000 --period 2026-11 --seed 2027 --vendor acme-ai --prefix CONV --resolved-percent 70 --unverified-per-mille 3 \
             --offset -05:00 --test-per-mille 5 ;;
  # A queue whose October export arrived after October was settled.
  late-2026-10) "$gen" --count 400 --period 2026-10 --seed 2028 --vendor acme-ai --prefix CONV-LATE --resolved-percent 80 \
             --unverified-per-mille 3 --offset -04:00 --test-per-mille 5 ;;
  *) echo "generate.sh: month is 2026-10, 2026-11 or late-2026-10" >&2; exit 2 ;;
esac
