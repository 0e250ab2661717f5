#!/usr/bin/env bash
# Example records for contracts/acme-quarterly.yaml (deterministic):
#   Q1 2026: 120 tickets, 100 resolved; Q2: 400 tickets, 320 resolved; Q3: 800 tickets, 640 resolved.
#   usage: examples/acme-quarterly/generate.sh > records-2026.csv
set -euo pipefail
awk 'BEGIN {
  print "id,vendor,occurred_at,verified,outcome"
  split("2026-02 2026-05 2026-08", month, " ")
  split("120 400 800", tickets, " ")
  split("100 320 640", resolved, " ")
  for (q = 1; q <= 3; q++)
    for (i = 1; i <= tickets[q]; i++)
      printf "Q%d-%04d,acme-voice,%s-%02dT%02d:00:00Z,true,%s\n", q, i, month[q], 1 + i % 28, i % 24, (i <= resolved[q] ? "resolved" : "escalated")
}'
