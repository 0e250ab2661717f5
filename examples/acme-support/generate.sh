#!/usr/bin/env bash
# Regenerates the example month of records for contracts/acme-support.yaml:
# 20,000 conversations of October 2026 (New York time, UTC-04:00 all month),
# about 65% resolved, a few unverified, a few from the test channel.
# Deterministic: the same generator and arguments give the same bytes (a test
# checks that the committed file is exactly what this script produces).
#   usage: examples/acme-support/generate.sh BUILD_DIR/bench_gen > records-2026-10.csv
set -euo pipefail
gen=${1:?usage: generate.sh PATH/TO/bench_gen}
"$gen" --count 20000 --period 2026-10 --seed 2026 --vendor acme-ai --prefix CONV --resolved-percent 65 --unverified-per-mille 3 \
  --offset -04:00 --test-per-mille 5
