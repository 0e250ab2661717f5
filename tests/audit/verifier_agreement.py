#!/usr/bin/env python3
"""Break tests for the ledger (docs/ledger-format.md): `reckon verify` and the stand-alone
ledger/verify_ledger.py must agree on every ledger -- honest or tampered -- on ok, first_bad,
entries and head, exit 0 for a good ledger and 3 for a bad one, and first_bad must be the
entry the tampering touched.

The ledger is built with the real CLI (ingest, settle of two contracts, a later month, a
correction, a late correction that makes the next settlement post an adjustment) and each
tampered copy is made with Python's sqlite3 after dropping the triggers.
"""
import os, shutil, sqlite3, struct, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Env, check, copy_ledger, finish, tamper

env = Env()
root, L = env.root, env.path("honest.db")

# --- an honest ledger: records of two vendors, two contracts, three statements, a correction
support = env.path("support.csv")
with open(os.path.join(root, "examples/acme-support/records-2026-10.csv")) as f:
    lines = f.readlines()
with open(support, "w") as f:
    f.writelines(lines[:801])
correction = env.path("correction.csv")
with open(correction, "w") as f:  # a later revision of the first record: still the same file format
    header = lines[0].rstrip("\n").split(",")
    row = lines[1].rstrip("\n").split(",")
    if "revision" in header:
        row[header.index("revision")] = "1"
    else:
        header.append("revision")
        row.append("1")
    f.write(",".join(header) + "\n" + ",".join(row) + "\n")
env.ok(L, "ingest", support)
env.ok(L, "ingest", os.path.join(root, "examples/acme-itops/records-2026-10.csv"))
env.ok(L, "settle", "--contract", os.path.join(root, "contracts/acme-itops.yaml"), "--period", "2026-10")
env.ok(L, "ingest", correction)
env.ok(L, "settle", "--contract", os.path.join(root, "contracts/acme-support.yaml"), "--period", "2026-10")
env.ok(L, "ingest", os.path.join(root, "examples/acme-itops/records-2026-11.csv"))
env.ok(L, "settle", "--contract", os.path.join(root, "contracts/acme-itops.yaml"), "--period", "2026-11")
# A late correction of a settled October record (revision 2: another outcome), then November:
# its settlement re-evaluates October and writes an adjustment entry before its statement.
late = env.path("late.csv")
with open(late, "w") as f:
    header = lines[0].rstrip("\n").split(",") + ["revision"]
    row = lines[2].rstrip("\n").split(",") + ["2"]
    o = header.index("outcome")
    row[o] = "escalated" if row[o] == "resolved" else "resolved"
    f.write(",".join(header) + "\n" + ",".join(row) + "\n")
env.ok(L, "ingest", late)
env.ok(L, "settle", "--contract", os.path.join(root, "contracts/acme-support.yaml"), "--period", "2026-11")

db = sqlite3.connect(f"file:{L}?mode=ro", uri=True)
kinds = dict(db.execute("SELECT seq, kind FROM entries"))
N = max(kinds)
head_hash = db.execute("SELECT hex(hash) FROM entries WHERE seq = ?", (N,)).fetchone()[0].lower()
HEAD = f"{N}:{head_hash}"
first = {k: min(s for s, kk in kinds.items() if kk == k) for k in ("record", "contract", "statement", "adjustment")}
mid_record = sorted(s for s, k in kinds.items() if k == "record")[400]
db.close()
print(f"honest ledger: {N} entries, first record/contract/statement at {first}, head {HEAD}")

T = env.path("t.db")
cases = 0


def case(name, want, *sqls, fn=None, expect=None, good=False, entries=None):
    """Copies the honest ledger, tampers with it, runs both verifiers, compares."""
    global cases
    cases += 1
    copy_ledger(L, T)
    if sqls or fn:
        tamper(T, *sqls, fn=fn)
    (crc, cj, cerr), (prc, pj, perr) = env.verify(T, expect)
    label = f"{name}{' (--expect-head)' if expect else ''}"
    print(f"{label}: reckon {cj and cj.get('first_bad', 'ok')} rc {crc} | python {pj and pj.get('first_bad', 'ok')} rc {prc}"
          f"{'' if good else ' | want ' + str(want)}")
    if not check(cj is not None and pj is not None, f"{label}: no JSON: reckon {cerr!r} python {perr!r}"):
        return
    strip = lambda j: {k: v for k, v in j.items() if k not in ("reason", "exit", "errors")}
    check(strip(cj) == strip(pj), f"{label}: verifiers disagree:\n  reckon {cj}\n  python {pj}")
    check(crc == prc == (0 if good else 3), f"{label}: exit codes {crc} / {prc}")
    if good:
        check(cj["ok"] and (entries is None or cj["entries"] == entries), f"{label}: should pass: {cj}")
    else:
        check(not cj["ok"] and cj.get("first_bad") == want, f"{label}: first_bad {cj.get('first_bad')}, want {want}")


def flip(col, seq, at, as_text=False):
    """Flips the bits of one byte of entries.col at seq, keeping the storage class."""
    def fn(db):
        v = bytearray(db.execute(f"SELECT CAST({col} AS BLOB) FROM entries WHERE seq = ?", (seq,)).fetchone()[0])
        v[at if at >= 0 else len(v) + at] ^= 0x01 if as_text else 0x80
        cast = "CAST(? AS TEXT)" if as_text else "?"
        db.execute(f"UPDATE entries SET {col} = {cast} WHERE seq = ?", (bytes(v), seq))
    return fn


# --- honest
case("honest ledger", 0, good=True, entries=N)
case("honest ledger", 0, expect=HEAD, good=True, entries=N)
case("honest ledger, wrong anchor hash", N, expect=f"{N}:{'0' * 64}")
case("honest ledger, anchor beyond the head", N + 1, expect=f"{N + 5}:{head_hash}")

# --- one byte of each column of an entry of each kind (triggers dropped)
for kind, seq in [("first record", 1), ("mid record", mid_record), ("contract", first["contract"]),
                  ("statement", first["statement"]), ("adjustment", first["adjustment"]), ("last entry", N)]:
    case(f"{kind} {seq}: payload byte flipped", seq, fn=flip("payload", seq, 20))
    case(f"{kind} {seq}: kind byte flipped", seq, fn=flip("kind", seq, 0, as_text=True))
    case(f"{kind} {seq}: hash byte flipped", seq, fn=flip("hash", seq, -1))
    case(f"{kind} {seq}: prev_hash byte flipped", seq, fn=flip("prev_hash", seq, 0))
    case(f"{kind} {seq}: seq moved past the end", seq, f"UPDATE entries SET seq = seq + 1000000 WHERE seq = {seq}")
    case(f"{kind} {seq}: seq negated", -seq, f"UPDATE entries SET seq = -seq WHERE seq = {seq}")
    case(f"{kind} {seq}: payload stored as TEXT", seq, f"UPDATE entries SET payload = CAST(payload AS TEXT) WHERE seq = {seq}")

# --- whole entries removed, reordered, replaced
case("mid record deleted (derived row kept)", mid_record, f"DELETE FROM entries WHERE seq = {mid_record}")
case("mid record deleted with its row", mid_record, f"DELETE FROM entries WHERE seq = {mid_record}",
     f"DELETE FROM records WHERE seq = {mid_record}")
case("contract entry deleted with its row", first["contract"], f"DELETE FROM entries WHERE seq = {first['contract']}",
     f"DELETE FROM contracts WHERE seq = {first['contract']}")
case("entry 1 deleted", 1, "DELETE FROM entries WHERE seq = 1")
s = mid_record
case(f"entries {s} and {s + 1} swapped", s, f"CREATE TEMP TABLE x AS SELECT * FROM entries WHERE seq IN ({s}, {s + 1})",
     f"DELETE FROM entries WHERE seq IN ({s}, {s + 1})", f"INSERT INTO entries SELECT {2 * s + 1} - seq, kind, payload, prev_hash, hash FROM x")
case(f"payloads of records {s} and {s + 7} swapped", s, f"CREATE TEMP TABLE x AS SELECT seq, payload FROM entries WHERE seq IN ({s}, {s + 7})",
     f"UPDATE entries SET payload = (SELECT payload FROM x WHERE x.seq = {2 * s + 7} - entries.seq) WHERE seq IN ({s}, {s + 7})")
st = first["statement"]
copy_ledger(L, T)
raw = sqlite3.connect(T, isolation_level=None)
raw.execute("INSERT OR REPLACE INTO entries(seq, kind, payload, prev_hash, hash) SELECT seq, kind, CAST('{}' AS BLOB), prev_hash, hash FROM entries WHERE seq = ?", (st,))
raw.close()
(crc, cj, _), (prc, pj, _) = env.verify(T)
cases += 1
print(f"INSERT OR REPLACE on statement {st}, triggers intact: reckon {cj.get('first_bad')} python {pj.get('first_bad')}")
same = lambda j: {k: v for k, v in j.items() if k not in ("reason", "exit", "errors")}
check(same(cj) == same(pj) and crc == prc == 3 and cj["first_bad"] == st, f"INSERT OR REPLACE: {cj} / {pj}")

# --- truncation: a shorter valid chain; only the anchor catches it
for keep in (N - 1, first["statement"], 1):
    trunc = [f"DELETE FROM {t} WHERE seq > {keep}" for t in ("entries", "records", "contracts", "statements", "adjustments")]
    case(f"truncated to {keep}", 0, *trunc, good=True, entries=keep)
    case(f"truncated to {keep}", keep + 1, *trunc, expect=HEAD)


def rewrite(start, change):
    """A consistent rewrite from entry `start`: change(payload) -> payload, every later hash recomputed."""
    def fn(db):
        rows = db.execute("SELECT seq, kind, payload, prev_hash FROM entries WHERE seq >= ? ORDER BY seq", (start,)).fetchall()
        prev = rows[0][3]
        for seq, kind, payload, _ in rows:
            payload = change(payload) if seq == start else payload
            h = __import__("hashlib").sha256(b"reckon-entry-v1\0" + struct.pack(">QI", seq, len(kind)) + kind.encode()
                                             + prev + struct.pack(">Q", len(payload)) + payload).digest()
            db.execute("UPDATE entries SET payload = ?, prev_hash = ?, hash = ? WHERE seq = ?", (payload, prev, h, seq))
            prev = h
    return fn


resolved_rec = mid_record
change = lambda p: p.replace(b'"escalated"', b'"resolved"') if b'"escalated"' in p else p.replace(b'"resolved"', b'"escalated"')
case(f"chain rewritten consistently from record {resolved_rec}", 0, fn=rewrite(resolved_rec, change), good=True, entries=N)
case(f"chain rewritten consistently from record {resolved_rec}", N, fn=rewrite(resolved_rec, change), expect=HEAD)
anchor_before = f"{resolved_rec - 1}:" + sqlite3.connect(L).execute("SELECT hex(hash) FROM entries WHERE seq = ?", (resolved_rec - 1,)).fetchone()[0].lower()
case(f"chain rewritten from {resolved_rec}, anchor before it", 0, fn=rewrite(resolved_rec, change), expect=anchor_before, good=True, entries=N)
# a statement whose version is rewritten from 1 to 1.0 (hashes recomputed): not an integer
case(f"statement {st} version 1.0", st, fn=rewrite(st, lambda p: p.replace(b'"version":1', b'"version":1.0')))
# a rewrite that also rewrites a statement amount
# A member the statement reader does not know: both verifiers read every stored statement with
# the checked reader, so this is found at the statement itself, anchor or not.
case(f"statement {st} rewritten consistently", st, fn=rewrite(st, lambda p: p[:-1] + b',"zz":"forged"}'))
case(f"statement {st} rewritten consistently", st, fn=rewrite(st, lambda p: p[:-1] + b',"zz":"forged"}'), expect=HEAD)

# A statement as the previous release wrote it: no customer, no totals.true_up (hashes
# recomputed). Both verifiers accept it (true_up = the sum of its true-up lines); show prints it
# with that true_up and without a customer, export still reproduces it.
import re
old_form = lambda p: re.sub(rb',"true_up":"[^"]*"', b"", re.sub(rb'"customer":"[^"]*",', b"", p))
case(f"statement {st} in the previous release's form", 0, fn=rewrite(st, old_form), good=True, entries=N)
copy_ledger(L, T)
tamper(T, fn=rewrite(st, old_form))
r = env.run(T, "show", "--contract", "acme-itops", "--period", "2026-10", "--json")
check(r.returncode == 0 and '"true_up"' in r.stdout and '"customer"' not in r.stdout,
      f"show of a statement of the previous release: {r.returncode} {r.stderr!r}")
r = env.run(T, "export", "--contract", "acme-itops", "--period", "2026-10", "--out", env.path("old-form-bundle"))
check(r.returncode == 0, f"export of a statement of the previous release: {r.returncode} {r.stderr!r}")
# A stored true_up that is not the sum of the true-up lines, or breaks the identity.
case(f"statement {st} true_up rewritten", st, fn=rewrite(st, lambda p: re.sub(rb'"true_up":"[^"]*"', b'"true_up":"1.00"', p)))
case(f"statement {st} customer not a string", st, fn=rewrite(st, lambda p: re.sub(rb'"customer":"[^"]*"', b'"customer":5', p)))

# --- derived tables
case("records.occurred_ns changed", mid_record, f"UPDATE records SET occurred_ns = occurred_ns + 1 WHERE seq = {mid_record}")
case("records.id_key changed", mid_record, f"UPDATE records SET id_key = id_key + 1 WHERE seq = {mid_record}")
case("records.stale set on a first revision", mid_record, f"UPDATE records SET stale = 1 WHERE seq = {mid_record}")
revision_row = sqlite3.connect(L).execute("SELECT min(seq) FROM records WHERE replaces IS NOT NULL").fetchone()[0]
check(revision_row is not None, "the honest ledger has a correction (a row that replaces a revision)")
case("records.replaces cleared on a correction", revision_row,
     f"UPDATE records SET replaces = NULL, replaces_ns = NULL WHERE seq = {revision_row}")
case("records.replaces_ns changed on a correction", revision_row,
     f"UPDATE records SET replaces_ns = replaces_ns + 1 WHERE seq = {revision_row}")
# An index that lacks one record (its SQL text put back): settlement reads the period through it.
case("records_period index lacks a record", mid_record, "DROP INDEX records_period",
     f"CREATE INDEX records_period ON records(vendor, stale, occurred_ns) WHERE stale = 0 AND seq <> {mid_record}",
     "PRAGMA writable_schema = ON",
     "UPDATE sqlite_schema SET sql = 'CREATE INDEX records_period ON records(vendor, stale, occurred_ns) WHERE stale = 0'"
     " WHERE name = 'records_period'", "PRAGMA writable_schema = OFF")
case("records row deleted", mid_record, f"DELETE FROM records WHERE seq = {mid_record}")
case("records row moved to another seq", mid_record, f"UPDATE records SET seq = seq + 1000000 WHERE seq = {mid_record}")
case("contracts.sha256 changed", first["contract"], f"UPDATE contracts SET sha256 = '{'0' * 64}' WHERE seq = {first['contract']}")
case("statements.period changed", st, f"UPDATE statements SET period = '2026-09' WHERE seq = {st}")
case("statements row deleted", st, f"DELETE FROM statements WHERE seq = {st}")
case("extra records row past the end", N + 5, f"INSERT INTO records VALUES({N + 5}, 'acme-ai', 1, 0, 0, 0, NULL, NULL)")
case("extra records rows at seq 0 and past the end", 0, f"INSERT INTO records VALUES({N + 5}, 'acme-ai', 1, 0, 0, 0, NULL, NULL)",
     "INSERT INTO records VALUES(0, 'acme-ai', 2, 0, 0, 0, NULL, NULL)")
case("extra records row at a statement's seq", st, f"INSERT INTO records VALUES({st}, 'acme-ai', 1, 0, 0, 0, NULL, NULL)")
case("extra statements row at a record's seq", mid_record, f"INSERT INTO statements VALUES({mid_record}, 'acme-support', '2026-12', 1)")
case("extra contracts row past the end", N + 1, f"INSERT INTO contracts VALUES({N + 1}, 'x', 1, 'v', 'h')")
case("an entry appended by hand", N + 1, f"INSERT INTO entries SELECT {N + 1}, 'record', CAST('{{}}' AS BLOB), hash, hash FROM entries WHERE seq = {N}")

# --- adjustments (entry kind `adjustment`, derived table `adjustments`)
adj = first["adjustment"]
case("adjustments.posted_in changed", adj, f"UPDATE adjustments SET posted_in = '2026-12' WHERE seq = {adj}")
case("adjustments.period changed", adj, f"UPDATE adjustments SET period = '2026-09' WHERE seq = {adj}")
case("adjustments row deleted", adj, f"DELETE FROM adjustments WHERE seq = {adj}")
case("adjustment entry deleted with its row", adj, f"DELETE FROM entries WHERE seq = {adj}", f"DELETE FROM adjustments WHERE seq = {adj}")
case("extra adjustments row at a record's seq", mid_record,
     f"INSERT INTO adjustments VALUES({mid_record}, 'acme-support', '2026-10', '2026-12', 1)")
case("extra adjustments row past the end", N + 3, f"INSERT INTO adjustments VALUES({N + 3}, 'x', 'y', 'z', 1)")
# The amount no longer equals the re-evaluated net less what was settled before: found at the entry.
case("adjustment amount rewritten consistently", adj, fn=rewrite(adj, lambda p: p.replace(b'"amount":"', b'"amount":"1')))
case("adjustment amount rewritten consistently", adj, fn=rewrite(adj, lambda p: p.replace(b'"amount":"', b'"amount":"1')), expect=HEAD)

# --- storage classes of the derived tables: a value re-stored as another class (same bytes or
# same number) by INSERT OR REPLACE, which the triggers do not stop. Settlement looks rows up by
# TEXT and a BLOB never equals a TEXT: such a row would make a settled period look unsettled.
rec = mid_record
for table, col, cast, seq in [
        ("statements", "contract", "CAST(contract AS BLOB)", st), ("statements", "period", "CAST(period AS BLOB)", st),
        ("statements", "version", "'one'", st), ("statements", "version", "version + 0.5", st),
        ("adjustments", "contract", "CAST(contract AS BLOB)", adj), ("adjustments", "period", "CAST(period AS BLOB)", adj),
        ("adjustments", "posted_in", "CAST(posted_in AS BLOB)", adj), ("adjustments", "version", "'one'", adj),
        ("contracts", "contract", "CAST(contract AS BLOB)", first["contract"]), ("contracts", "vendor", "CAST(vendor AS BLOB)", first["contract"]),
        ("contracts", "sha256", "CAST(sha256 AS BLOB)", first["contract"]), ("contracts", "version", "version + 0.5", first["contract"]),
        ("records", "occurred_ns", "CAST(occurred_ns AS BLOB)", rec), ("records", "revision", "revision + 0.5", rec),
        ("records", "stale", "CAST(stale AS BLOB)", rec),
        ("records", "vendor", "CAST(vendor AS BLOB)", rec), ("records", "id_key", "CAST(id_key AS BLOB)", rec)]:
    cols = [r[1] for r in sqlite3.connect(L).execute(f"PRAGMA table_info({table})")]
    values = ", ".join(cast if c == col else c for c in cols)
    sql = f"INSERT OR REPLACE INTO {table}({', '.join(cols)}) SELECT {values} FROM {table} WHERE seq = {seq}"
    case(f"{table}.{col} re-stored as {cast}", seq, sql)
    if table == "statements" and col == "contract":
        case(f"{table}.{col} re-stored as {cast}", seq, sql, expect=HEAD)

# --- the schema: anything other than what reckon creates fails in both, naming the same difference
RECORDS_NOCASE = ["ALTER TABLE records RENAME TO records_old",
                  "CREATE TABLE records(seq INTEGER PRIMARY KEY, vendor TEXT NOT NULL COLLATE NOCASE, id_key INTEGER NOT NULL,"
                  " revision INTEGER NOT NULL, occurred_ns INTEGER NOT NULL, stale INTEGER NOT NULL, replaces INTEGER, replaces_ns INTEGER)",
                  "INSERT INTO records SELECT * FROM records_old", "DROP TABLE records_old",
                  "CREATE INDEX records_key ON records(id_key)",
                  "CREATE INDEX records_period ON records(vendor, stale, occurred_ns) WHERE stale = 0",
                  "CREATE INDEX records_replaced ON records(vendor, replaces_ns, replaces) WHERE replaces IS NOT NULL"]
for name, sqls, restore, want in [
        ("records.vendor collated NOCASE", RECORDS_NOCASE, True, "table 'records' is defined differently"),
        ("a dropped table", ["DROP TABLE statements"], True, "lacks table 'statements'"),
        ("a dropped derived table", ["DROP TABLE adjustments"], True, "lacks table 'adjustments'"),
        ("records dropped", ["DROP TABLE records"], True, "lacks table 'records'"),
        ("the triggers dropped", [], False, "lacks trigger 'entries_no_update'"),
        ("a trigger with other SQL", ["CREATE TRIGGER records_no_delete BEFORE DELETE ON records BEGIN SELECT 1; END"], True,
         "trigger 'records_no_delete' is defined differently"),
        ("an added column", ["ALTER TABLE statements ADD COLUMN note TEXT"], True, "table 'statements' is defined differently"),
        ("an added index", ["CREATE INDEX records_by_vendor ON records(vendor)"], True, "has an extra index 'records_by_vendor'"),
        ("an added view", ["CREATE VIEW v AS SELECT 1"], True, "has an extra view 'v'"),
        ("ANALYZE run (its statistics steer the query plans)", ["ANALYZE"], True, "has an extra table 'sqlite_stat1'"),
        ("an added table", ["CREATE TABLE notes(x)"], True, "has an extra table 'notes'"),
        ("records replaced by a view", ["ALTER TABLE records RENAME TO r2", "CREATE VIEW records AS SELECT * FROM r2"], True,
         "table 'records' is a view instead"),
        ("an extra trigger", ["CREATE TRIGGER t AFTER INSERT ON entries BEGIN SELECT 1; END"], True, "has an extra trigger 't'")]:
    copy_ledger(L, T)
    tamper(T, *sqls, restore=restore)
    (crc, cj, cerr), (prc, pj, perr) = env.verify(T)
    cases += 1
    diff = lambda err: err.split("differs from what reckon creates: ", 1)[-1].split("; the file", 1)[0]
    print(f"schema, {name}: reckon rc {crc} | python rc {prc} | {diff(cerr)}")
    check(crc == prc == 3 and diff(cerr) == diff(perr) and diff(cerr).startswith(want),
          f"schema, {name}: want {want!r}: {cerr!r} / {perr!r}")
    for cmd in (["status"], ["show", "--contract", "acme-support", "--period", "2026-10"],
                ["settle", "--contract", os.path.join(root, "contracts/acme-support.yaml"), "--period", "2026-12"],
                ["ingest", correction]):
        before = open(T, "rb").read()
        r = env.run(T, *cmd)
        check(r.returncode == 3 and "schema differs" in r.stderr and open(T, "rb").read() == before,
              f"schema, {name}: reckon {cmd[0]} should refuse with exit 3 and write nothing: {r.returncode} {r.stderr!r}")

# --- usage errors: exit 2 from both
for bad_anchor in ("12", f"x:{head_hash}", f"{N}:{head_hash[:-1]}", f"0:{head_hash}", "0:" + "f" * 64, "000:" + "0" * 64):
    c = subprocess.run([env.reckon, "--ledger", L, "verify", "--expect-head", bad_anchor], capture_output=True, text=True)
    p = subprocess.run([sys.executable, env.verifier, "--expect-head", bad_anchor, L], capture_output=True, text=True)
    check(c.returncode == p.returncode == 2, f"--expect-head {bad_anchor!r}: exit {c.returncode} / {p.returncode}")
    if bad_anchor.startswith("0"):  # entry 0 is not an anchor: both say so
        check("entry 0 is not an anchor" in c.stderr and "entry 0 is not an anchor" in p.stderr, f"--expect-head {bad_anchor}: {c.stderr!r} / {p.stderr!r}")

print(f"{cases} ledgers compared")
finish()
