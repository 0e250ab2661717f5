#!/usr/bin/env python3
"""Every figure of report.json and report.csv equals the recorded statements.

Recomputes each row from `reckon show --json` (the recorded statement: totals and metrics) and
`reckon show --restated --json` (the adjustments posted since and the final net) for every settled
period `reckon status --json` lists, and requires the same set of rows in both files.
Usage: check_figures.py RECKON LEDGER REPORT_DIR [CONTRACT...]"""
import csv, json, subprocess, sys
from decimal import Decimal

reckon, ledger, out = sys.argv[1:4]
only = sys.argv[4:]


def run(*args):
    r = subprocess.run([reckon, *args, "--ledger", ledger, "--json"], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"FAIL: reckon {' '.join(args)} exited {r.returncode}: {r.stderr}")
    return json.loads(r.stdout)


expected = {}
status = run("status")
for c in status["contracts"]:
    cid = c["contract"]
    if only and cid not in only:
        continue
    for s in c["settled"]:
        p = s["period"]
        st = run("show", "--contract", cid, "--period", p)
        rs = run("show", "--restated", "--contract", cid, "--period", p)
        t = st["totals"]
        later = sum((Decimal(a["amount"]) for a in rs["adjustments"]), Decimal(0))
        row = {m: t[m] for m in ("fees", "penalties", "rewards", "adjustments", "true_up", "net")}
        row["adjustments_later"] = f"{later:.2f}"
        row["final_net"] = rs["final_net"]
        assert Decimal(row["final_net"]) == Decimal(t["net"]) + later, (cid, p)
        for name, v in st["metrics"].items():
            row["metric:" + name] = v
        for m, v in row.items():
            expected[(cid, st["vendor"], st["currency"], p, m)] = v

with open(f"{out}/report.json") as f:
    rows = json.load(f)["rows"]
got_json = {(r["contract"], r["vendor"], r["currency"], r["period"], r["measure"]): r["value"] for r in rows}
assert len(got_json) == len(rows), "duplicate rows in report.json"
with open(f"{out}/report.csv", newline="") as f:
    reader = csv.reader(f)
    assert next(reader) == ["contract", "vendor", "currency", "period", "measure", "value"]
    crow = list(reader)
got_csv = {tuple(r[:5]): (r[5] if r[5] != "" else None) for r in crow}
assert len(got_csv) == len(crow), "duplicate rows in report.csv"

for name, got in (("report.json", got_json), ("report.csv", got_csv)):
    missing = set(expected) - set(got)
    extra = set(got) - set(expected)
    wrong = [k for k in expected if k in got and got[k] != expected[k]]
    if missing or extra or wrong:
        sys.exit(f"FAIL: {name}: missing {sorted(missing)[:5]}, extra {sorted(extra)[:5]}, "
                 f"wrong {[(k, got[k], expected[k]) for k in wrong[:5]]}")
periods = {k[:4] for k in expected}
print(f"ok: {len(expected)} figures of {len(periods)} periods equal the recorded statements")
