#!/usr/bin/env python3
"""Independent settlement of examples/servicenow, compared with Reckon's statements.

Reads the raw ServiceNow export itself (Python standard library only, exact
arithmetic with fractions.Fraction: no floats anywhere), applies the semantics
of examples/servicenow/mapping.yaml and contracts/servicenow-itops.yaml without
using Reckon, and requires every metric, record count, statement line and total
of 2016-03, 2016-04 and 2016-05 to be equal, digit for digit.

    usage: servicenow_check.py incident-event-log.csv.gz 2016-03.json 2016-04.json 2016-05.json

The contract's terms are restated below (CONTRACT); when the contract changes,
this file must change with it.
"""
import csv
import gzip
import json
import sys
from datetime import datetime, timezone
from fractions import Fraction

F = Fraction
CONTRACT = dict(
    platform_fee=F("2500.00"),
    major_price=F("40.00"),
    standard_tiers=[(4000, F("9.00")), (8000, F("7.50")), (None, F("6.00"))],  # graduated, up_to inclusive
    sla_target=F(85, 100), sla_cap=F(20, 100),            # 1% of fees per point (or part) short
    major_miss_credit=F("25.00"),
    mttr_bands=[(F(240), F(10, 100)), (F(168), F(5, 100))],  # above X hours: credit share of fees (most severe first)
    mttr_baseline=F(168), gain_share=F(20, 100), gain_cap=F("5000.00"),
    reopen_limit=F(1, 100), reopen_bonus=F("1000.00"),
    penalty_cap=F(25, 100), reward_cap=F("5000.00"),
)
MAJOR = ("1 - Critical", "2 - High")
STANDARD = ("3 - Moderate", "4 - Low")
DROPPED = ("caller_id", "opened_by")  # mapping.yaml `drop`: not part of a record's content

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def parse_time(text):
    """'29/2/2016 01:16' (day first, not zero-padded) as a UTC datetime."""
    return datetime.strptime(text, "%d/%m/%Y %H:%M").replace(tzinfo=timezone.utc)


def round_cents(x):
    """Round a Fraction to 2 decimals, ties to even (the contract's rounding)."""
    scaled = x * 100
    q, r = divmod(scaled.numerator, scaled.denominator)  # floor division: r >= 0
    twice = 2 * r
    if twice > scaled.denominator or (twice == scaled.denominator and q % 2 == 1):
        q += 1
    return F(q, 100)


def ceil(x):
    return -((-x.numerator) // x.denominator)


def money(x):
    """Statement money text: exactly 2 decimals, never -0.00."""
    x = round_cents(x)
    cents = x.numerator * (100 // x.denominator)
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


def metric_text(x):
    """Statement metric text: exact if it terminates within 18 decimals, else
    rounded half-even to 18 decimals; trailing zeros trimmed."""
    den = x.denominator
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    digits = max(twos, fives) if den == 1 and max(twos, fives) <= 18 else 18
    scaled = x * 10**digits
    q, r = divmod(scaled.numerator, scaled.denominator)
    if 2 * r > scaled.denominator or (2 * r == scaled.denominator and q % 2 == 1):
        q += 1
    sign = "-" if q < 0 else ""
    s = str(abs(q)).rjust(digits + 1, "0")
    s = s[:-digits] + "." + s[-digits:] if digits else s
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s == "0" else sign + s


# ---- 1. Records: the mapping and the ledger's identity rules -----------------
with gzip.open(sys.argv[1], "rt", encoding="utf-8", newline="") as f:
    reader = csv.DictReader(f)
    stored = {}        # (number, revision) -> first row with that key
    rejected = []      # later rows of a stored key with different content
    duplicates = 0
    rows = 0
    for row in reader:
        rows += 1
        key = (row["number"], int(row["sys_mod_count"]))
        content = {k: v for k, v in row.items() if k not in DROPPED}
        if key in stored:
            if stored[key] == content:
                duplicates += 1
            else:
                rejected.append(key)  # the first occurrence stays, the later one is refused
            continue
        stored[key] = content
check(rows == 119998, f"rows {rows}")
check(duplicates == 0, f"duplicates {duplicates}")
check(sorted(rejected) == [("INC0000130", 2), ("INC0000134", 2), ("INC0000135", 7),
                           ("INC0000137", 1), ("INC0000164", 3)], f"rejected {rejected}")

# Effective state of an incident: its highest revision.
latest = {}
for (number, rev), row in stored.items():
    if number not in latest or rev > int(latest[number]["sys_mod_count"]):
        latest[number] = row
check(len(latest) == 20769, f"incidents {len(latest)}")


# ---- 2. Settlement of one month ----------------------------------------------
def settle(period):
    c = CONTRACT
    in_period = [r for r in latest.values() if parse_time(r["opened_at"]).strftime("%Y-%m") == period]
    counted = [r for r in in_period if r["incident_state"] == "Closed"]  # verified: Closed -> true
    m = {}
    m["closed"] = F(len(counted))
    m["major"] = F(sum(r["priority"] in MAJOR for r in counted))
    m["standard"] = F(sum(r["priority"] in STANDARD for r in counted))
    m["within_sla"] = F(sum(r["made_sla"] == "true" for r in counted))
    m["sla_rate"] = m["within_sla"] / m["closed"]
    m["major_missed_sla"] = F(sum(r["priority"] in MAJOR and r["made_sla"] == "false" for r in counted))
    def hours_to_resolve(r):
        d = parse_time(r["resolved_at"]) - parse_time(r["opened_at"])
        return F(d.days * 86400 + d.seconds, 3600)  # integer fields of the timedelta: no floats
    hours = [hours_to_resolve(r) for r in counted if r["resolved_at"] != "?"]
    m["mttr_hours"] = sum(hours, F(0)) / len(hours)
    m["reopened"] = F(sum(int(r["reopen_count"]) > 0 for r in counted))
    m["reopen_rate"] = m["reopened"] / m["closed"]

    lines = {}
    # fees, each rounded once
    lines["Platform fee"] = round_cents(c["platform_fee"])
    lines["Major incident fee"] = round_cents(m["major"] * c["major_price"])
    units, prev, amount = m["standard"], 0, F(0)
    for up_to, price in c["standard_tiers"]:
        top = units if up_to is None else min(units, up_to)
        if top > prev:
            amount += (top - prev) * price
        prev = up_to if up_to is not None else prev
    lines["Standard incident fee"] = round_cents(amount)
    fees = sum(lines.values(), F(0))
    # penalties: exact, own cap, rounded
    sla = F(0)
    if m["sla_rate"] < c["sla_target"]:
        sla = min(F(1, 100) * fees * ceil((c["sla_target"] - m["sla_rate"]) * 100), c["sla_cap"] * fees)
    lines["SLA attainment guarantee"] = -round_cents(sla)
    lines["Major incident SLA credit"] = -round_cents(c["major_miss_credit"] * m["major_missed_sla"]
                                                      if m["major_missed_sla"] > 0 else F(0))
    credit = next((share * fees for above, share in c["mttr_bands"] if m["mttr_hours"] > above), F(0))
    lines["MTTR service credit"] = -round_cents(credit)
    penalties = -(lines["SLA attainment guarantee"] + lines["Major incident SLA credit"] + lines["MTTR service credit"])
    cap = round_cents(c["penalty_cap"] * fees)
    if penalties > cap:
        lines["Penalty cap per period"] = penalties - cap
    # rewards
    gain = F(0)
    if m["mttr_hours"] < c["mttr_baseline"]:
        gain = min(c["gain_share"] * fees * (c["mttr_baseline"] - m["mttr_hours"]) / c["mttr_baseline"], c["gain_cap"])
    lines["MTTR gain share"] = round_cents(gain)
    lines["First-time fix bonus"] = c["reopen_bonus"] if m["reopen_rate"] <= c["reopen_limit"] else F(0)
    rewards = lines["MTTR gain share"] + lines["First-time fix bonus"]
    if rewards > c["reward_cap"]:
        lines["Reward cap per period"] = c["reward_cap"] - rewards
    net = sum(lines.values(), F(0))
    if net < 0:
        lines["Net minimum"] = -net
        net = F(0)
    totals = {
        "fees": fees,
        "penalties": sum((v for k, v in lines.items() if k in ("SLA attainment guarantee", "Major incident SLA credit",
                                                               "MTTR service credit", "Penalty cap per period")), F(0)),
        "rewards": sum((v for k, v in lines.items() if k in ("MTTR gain share", "First-time fix bonus",
                                                             "Reward cap per period")), F(0)),
        "adjustments": F(0),
        "net": net,
    }
    return dict(counted=len(counted), excluded=len(in_period) - len(counted), metrics=m, lines=lines, totals=totals)


# ---- 3. Compare with Reckon's statements -------------------------------------
if len(sys.argv) != 5:
    sys.exit(__doc__)
for path in sys.argv[2:]:
    before = len(failures)
    st = json.load(open(path))
    period = st["period"]
    want = settle(period)
    check(want["counted"] > 1000, f"{period}: only {want['counted']} closed incidents")  # the test has teeth
    check(st["contract"] == "servicenow-itops" and st["currency"] == "USD", f"{period}: contract")
    check(st["records"]["counted"] == want["counted"], f"{period}: counted {st['records']['counted']} != {want['counted']}")
    check(st["records"]["excluded"] == want["excluded"], f"{period}: excluded {st['records']['excluded']} != {want['excluded']}")
    check(st["records"]["late"] == 0 and st["records"]["voided"] == 0, f"{period}: late/voided")
    check(sorted(st["metrics"]) == sorted(want["metrics"]), f"{period}: metric names {sorted(st['metrics'])}")
    for name, value in want["metrics"].items():
        check(st["metrics"].get(name) == metric_text(value),
              f"{period}: metric {name}: reckon {st['metrics'].get(name)} != independent {metric_text(value)}")
    got_lines = {l["name"]: l["amount"] for l in st["lines"]}
    check(sorted(got_lines) == sorted(want["lines"]), f"{period}: line names {sorted(got_lines)} != {sorted(want['lines'])}")
    for name, amount in want["lines"].items():
        check(got_lines.get(name) == money(amount), f"{period}: line {name}: reckon {got_lines.get(name)} != independent {money(amount)}")
    for name, amount in want["totals"].items():
        check(st["totals"][name] == money(amount), f"{period}: total {name}: reckon {st['totals'][name]} != independent {money(amount)}")
    check(st["not_assessed"] == [], f"{period}: not_assessed {st['not_assessed']}")
    print(f"{period}: {want['counted']} closed incidents, fees {money(want['totals']['fees'])}, "
          f"penalties {money(want['totals']['penalties'])}, rewards {money(want['totals']['rewards'])}, "
          f"net {money(want['totals']['net'])}: " + ("equal" if len(failures) == before else "DIFFERENT"))

if failures:
    print("\n".join("FAIL: " + f for f in failures), file=sys.stderr)
    sys.exit(1)
