#!/usr/bin/env python3
"""Golden-test helper: prints selected lines of a statement JSON (stdin).

show_lines.py [KIND...]  -- one line per statement line of those kinds
(all kinds when none are given): kind, period (adjustments), amount, explain;
then the totals and the records counts.
"""
import json
import sys

st = json.load(sys.stdin)
kinds = set(sys.argv[1:])
for line in st["lines"]:
    if kinds and line["kind"] not in kinds:
        continue
    period = f" [{line['period']}]" if "period" in line else ""
    print(f"{line['kind']}{period} {line['amount']}: {line['explain']}")
t = st["totals"]
print("totals: " + ", ".join(f"{k} {t[k]}" for k in ("fees", "penalties", "rewards", "adjustments", "net")))
print("records: " + ", ".join(f"{k} {v}" for k, v in sorted(st["records"].items())))
