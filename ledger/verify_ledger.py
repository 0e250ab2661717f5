#!/usr/bin/env python3
"""Stand-alone verifier for a Reckon ledger (docs/ledger-format.md), Python standard library only.

    python3 verify_ledger.py [--expect-head SEQ:HASH] [--json] LEDGER.db

Opens the file read-only and checks what `reckon verify` checks, in the same order, so both name
the same first bad entry: the schema is exactly the one reckon creates (SCHEMA below); seq 1, 2,
3, ... without gaps; each entry's prev_hash is the previous entry's hash (32 zero bytes for entry
1); each hash is SHA-256 of the length-prefixed encoding below; every derived row (records,
contracts, statements, adjustments) matches its entry, with every column of the right storage
class, and no derived row lacks an entry. With --expect-head, entry SEQ (1 or more) must exist
and have HASH.
Exit 0: ok; 3: integrity failure; 2: usage; 1: the file cannot be read as a ledger.
"""
import argparse, datetime, decimal, hashlib, json, os, re, sqlite3, struct, sys, urllib.parse

APPLICATION_ID = 0x52434B4E  # "RCKN"
FORMAT = 1
MISMATCH = "hash does not match the entry's contents (the entry was changed)"


def entry_hash(seq, kind, prev, payload):
    return hashlib.sha256(b"reckon-entry-v1\0" + struct.pack(">Q", seq) + struct.pack(">I", len(kind))
                          + kind + prev + struct.pack(">Q", len(payload)) + payload).digest()


# Record payloads: a flat object, keys strictly increasing, values string / true / false / integer.
FLAT_MEMBER = re.compile(rb'"((?:[^"\\\x00-\x1f]|\\.)*)":("(?:[^"\\\x00-\x1f]|\\.)*"|true|false|-?[0-9]{1,18})(,|\})')


ESCAPES = {b'"': b'"', b"\\": b"\\", b"/": b"/", b"b": b"\b", b"f": b"\f", b"n": b"\n", b"r": b"\r", b"t": b"\t"}


def hex4(s):
    if not re.fullmatch(rb"[0-9a-fA-F]{4}", s):
        raise ValueError("bad \\u escape")
    return int(s, 16)


def unescape(s):
    """A JSON string body -> bytes, decoded as Reckon's flat reader does (raw bytes kept as they are)."""
    out, i = bytearray(), 0
    while (j := s.find(b"\\", i)) >= 0:
        out += s[i:j]
        if s[j + 1:j + 2] != b"u":
            out += ESCAPES[s[j + 1:j + 2]]  # KeyError: unknown escape
            i = j + 2
            continue
        cp, i = hex4(s[j + 2:j + 6]), j + 6
        if 0xD800 <= cp < 0xDC00:  # a surrogate pair
            lo = hex4(s[i + 2:i + 6]) if s[i:i + 2] == b"\\u" else 0
            if not 0xDC00 <= lo < 0xE000:
                raise ValueError("bad surrogate pair")
            cp, i = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00), i + 6
        elif 0xDC00 <= cp < 0xE000:
            raise ValueError("lone surrogate")
        out += chr(cp).encode("utf-8")
    return bytes(out + s[i:])


MAX_RECORD_MEMBERS = 600  # kMaxRecordMembers (ledger/record_payload.h)


def flat_object(payload):
    """{key: (kind, value bytes)} of a record payload, or None if it is not a flat object."""
    if payload == b"{}":
        return {}
    if not payload.startswith(b"{"):
        return None
    members, at, last = {}, 1, None
    while True:
        m = FLAT_MEMBER.match(payload, at)
        if not m or len(members) == MAX_RECORD_MEMBERS:
            return None
        try:
            key = unescape(m[1])
            value = unescape(m[2][1:-1]) if m[2].startswith(b'"') else m[2]
        except (KeyError, ValueError):  # bad escape or surrogate
            return None
        if last is not None and not last < key:
            return None
        kind = "string" if m[2].startswith(b'"') else "bool" if m[2] in (b"true", b"false") else "int"
        members[key], last, at = (kind, value), key, m.end()
        if m[3] == b"}":
            return members if at == len(payload) else None


TIMESTAMP = re.compile(rb"([0-9]{4})-([0-9]{2})-([0-9]{2})[T ]([0-9]{2}):([0-9]{2})"
                       rb"(?::([0-9]{2})(?:\.([0-9]{1,9}))?)?(?:[Zz]|([+-])([0-9]{2}):([0-9]{2}))")


def timestamp_ns(text):
    """Nanoseconds since 1970 of YYYY-MM-DD[T ]HH:MM[:SS[.f]](Z|+HH:MM|-HH:MM), or None."""
    m = TIMESTAMP.fullmatch(text)
    if not m:
        return None
    y, mo, d, h, mi, s, oh, om = (int(g or 0) for g in m.group(1, 2, 3, 4, 5, 6, 9, 10))
    try:
        days = (datetime.date(y, mo, d) - datetime.date(1970, 1, 1)).days
    except ValueError:  # no such day
        return None
    if h > 23 or mi > 59 or s > 59 or oh > 23 or om > 59 or not 1678 <= y <= 2261:
        return None
    offset = (oh * 3600 + om * 60) * (-1 if m[8] == b"-" else 1)
    return (days * 86400 + h * 3600 + mi * 60 + s - offset) * 10**9 + int((m[7] or b"").ljust(9, b"0"))


def reject(constant):
    raise ValueError(f"{constant} is not JSON")


def json_object(payload):
    try:
        text = payload.decode("utf-8")
        # Fractions are read as Decimal: no binary floating point anywhere.
        obj = json.loads(text[1:] if text.startswith("\ufeff") else text, parse_constant=reject, parse_float=decimal.Decimal)
        json.dumps(obj, ensure_ascii=False, default=str).encode("utf-8")  # lone surrogates (\ud800) are not JSON text
    except ValueError:
        return None
    return obj if isinstance(obj, dict) else None


def text(obj, key):  # a string member as UTF-8 bytes; KeyError / TypeError if absent or not a string
    if not isinstance(obj[key], str):
        raise TypeError(f"{key} is not a string")
    return obj[key].encode("utf-8")


def int64(obj, key):  # a JSON integer member as a signed 64-bit value (wrapping, as reckon reads it)
    v = obj[key]
    if isinstance(v, bool) or not isinstance(v, int):
        raise TypeError(f"{key} is not an integer")
    v = int(v) % 2**64
    return v - 2**64 if v >= 2**63 else v


class Derived:
    """One derived table read in seq order, one row at a time, like a cursor."""

    def __init__(self, db, table, columns, members):
        self.table = table
        # the values, then their storage classes (typeof), read in the same query
        self.rows = db.execute(f"SELECT seq, {columns}, {', '.join(f'typeof({m})' for m in members)} FROM {table} ORDER BY seq")
        self.next()

    def next(self):
        row = self.rows.fetchone()
        self.row = tuple(b"" if v is None else v for v in row) if row else None
        self.seq = row[0] if row else None


TABLES = ("entries", "contracts", "records", "statements", "adjustments")

# The schema reckon creates, exactly as SQLite keeps it in sqlite_schema: (type, name, tbl_name, sql) in
# creation order. Settlement reads through it (collations, keys, triggers) and the hash chain does not
# cover it, so any difference -- a collation, a dropped trigger, an added column, index or view -- fails.
TABLE_SQL = {
    "entries": "CREATE TABLE entries(\n  seq INTEGER PRIMARY KEY,\n  kind TEXT NOT NULL,\n  payload BLOB NOT NULL,\n"
               "  prev_hash BLOB NOT NULL,\n  hash BLOB NOT NULL)",
    "contracts": "CREATE TABLE contracts(\n  seq INTEGER PRIMARY KEY,\n  contract TEXT NOT NULL,\n  version INTEGER NOT NULL,\n"
                 "  vendor TEXT NOT NULL,\n  sha256 TEXT NOT NULL,\n  UNIQUE(contract, version))",
    "records": "CREATE TABLE records(\n  vendor TEXT NOT NULL,\n  id TEXT NOT NULL,\n  revision INTEGER NOT NULL,\n"
               "  seq INTEGER NOT NULL,\n  occurred_ns INTEGER NOT NULL,\n  PRIMARY KEY(vendor, id, revision)) WITHOUT ROWID",
    "statements": "CREATE TABLE statements(\n  seq INTEGER PRIMARY KEY,\n  contract TEXT NOT NULL,\n  period TEXT NOT NULL,\n"
                  "  version INTEGER NOT NULL,\n  UNIQUE(contract, period))",
    "adjustments": "CREATE TABLE adjustments(\n  seq INTEGER PRIMARY KEY,\n  contract TEXT NOT NULL,\n  period TEXT NOT NULL,\n"
                   "  posted_in TEXT NOT NULL,\n  version INTEGER NOT NULL,\n  UNIQUE(contract, period, posted_in))",
}
TRIGGER_SQL = "CREATE TRIGGER {0}_no_{1} BEFORE {2} ON {0} BEGIN SELECT RAISE(ABORT, 'reckon ledger is append-only: {2} refused'); END"
SCHEMA = [o for t in TABLES for o in [("table", t, t, TABLE_SQL[t])]
          + ([("index", f"sqlite_autoindex_{t}_1", t, None)] if "UNIQUE(" in TABLE_SQL[t] else [])]  # automatic index: sql NULL
SCHEMA += [("trigger", f"{t}_no_{op.lower()}", t, TRIGGER_SQL.format(t, op.lower(), op)) for t in TABLES for op in ("UPDATE", "DELETE")]


def printable(b):
    """Schema text in a message: printable ASCII as is, other bytes escaped."""
    return "".join("\\n" if c == 10 else f"\\x{c:02x}" if c < 0x20 or c >= 0x7F or c == 0x5C else chr(c) for c in b)


def schema_difference(db):
    """The first difference of the file's sqlite_schema from SCHEMA, or None (same order as reckon)."""
    have = [tuple(r) for r in db.execute("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY rowid")]
    by_name = {}
    for h in have:
        by_name.setdefault(h[1], h)
    for typ, name, tbl, sql in SCHEMA:
        want = (typ.encode(), name.encode(), tbl.encode(), sql.encode() if sql is not None else None)
        h = by_name.get(want[1])
        if h is None:
            return f"lacks {typ} '{name}'"
        if h[0] != want[0]:
            return f"{typ} '{name}' is a {printable(h[0])} instead"
        if h[2:] == want[2:]:
            continue
        why = f"{typ} '{name}' is defined differently"
        if h[3] is not None and want[3] is not None:
            i = 0
            while i < len(h[3]) and i < len(want[3]) and h[3][i] == want[3][i]:
                i += 1
            at = max(0, i - 20)
            why += (f" (at byte {i + 1} of its SQL: found \"{printable(h[3][at:at + 50])}\""
                    f" where reckon creates \"{printable(want[3][at:at + 50])}\")")
        return why
    names = {o[1].encode() for o in SCHEMA}
    for h in have:
        if h[1] not in names:
            return f"has an extra {printable(h[0])} '{printable(h[1])}'"
    return None
DERIVED = {  # kind: (table, row columns as reckon reads them, payload members to compare = the columns' names)
    b"contract": ("contracts", "CAST(contract AS TEXT), CAST(version AS INTEGER), CAST(vendor AS TEXT), CAST(sha256 AS TEXT)",
                  ("contract", "version", "vendor", "sha256")),
    b"statement": ("statements", "CAST(contract AS TEXT), CAST(period AS TEXT), CAST(version AS INTEGER)",
                   ("contract", "period", "version")),
    b"adjustment": ("adjustments", "CAST(contract AS TEXT), CAST(period AS TEXT), CAST(posted_in AS TEXT), CAST(version AS INTEGER)",
                    ("contract", "period", "posted_in", "version")),
}


def verify(db, expect=None):
    rep = {"ok": True, "entries": 0, "head": {"seq": 0, "hash": "00" * 32}}
    hash_bad = None  # lowest entry whose hash is wrong; reported unless something comes first

    def bad(seq, why, before_hash=False):
        if hash_bad is not None and (hash_bad < seq or (hash_bad == seq and not before_hash)):
            seq, why = hash_bad, MISMATCH
        rep.update(ok=False, first_bad=seq, reason=why)
        return rep

    derived = {k: Derived(db, t, c, m) for k, (t, c, m) in DERIVED.items()}
    entries = db.execute("SELECT seq, typeof(kind), kind, typeof(payload), payload, typeof(prev_hash), prev_hash,"
                         " typeof(hash), hash FROM entries ORDER BY seq")
    prev, expected, records = bytes(32), 1, 0
    for seq, kind_type, kind, payload_type, payload, prev_type, stored_prev, hash_type, stored_hash in entries:
        if seq > expected:
            return bad(expected, f"entry {expected} is missing (the next entry is {seq})", True)
        if seq < expected:
            return bad(seq, f"entry {seq} has a sequence number below 1", True)
        if prev_type != b"blob" or len(stored_prev) != 32:
            return bad(seq, "prev_hash is not 32 bytes", True)
        if hash_type != b"blob" or len(stored_hash) != 32:
            return bad(seq, "hash is not 32 bytes", True)
        if stored_prev != prev:
            return bad(seq, "prev_hash does not match the hash of the previous entry"
                            " (an entry was removed, reordered or rewritten)", True)
        if kind_type != b"text" or payload_type != b"blob":
            return bad(seq, "kind or payload has the wrong storage type", True)
        if hash_bad is None and entry_hash(seq, kind, prev, payload) != stored_hash:
            hash_bad = seq
        for table in derived.values():  # a derived row below this entry has no entry of its kind
            if table.row and table.seq < seq:
                return bad(table.seq, f"the {table.table} table has a row with no {table.table[:-1]} entry")
        if kind == b"record":
            m = flat_object(payload)
            if m is None:
                return bad(seq, "record payload is not a flat JSON object")
            vendor, ident = m.get(b"vendor", ("", b""))[1], m.get(b"id", ("", b""))[1]
            revision = int(m[b"revision"][1]) if m.get(b"revision", ("",))[0] == "int" else -1
            ns = timestamp_ns(m.get(b"occurred_at", ("", b""))[1])
            if not vendor or not ident or revision < 0 or ns is None:
                return bad(seq, "record payload lacks vendor, id, revision or occurred_at")
            # The shared record payload rule (ledger/record_payload.h): core fields have their types.
            want = {b"vendor": "string", b"id": "string", b"occurred_at": "string", b"revision": "int",
                    b"verified": "bool", b"void": "bool"}
            if any(k in m and m[k][0] != kind_ for k, kind_ in want.items()):
                return bad(seq, "record payload has a core field of the wrong type (vendor, id and occurred_at"
                                " are strings, revision an integer, verified and void booleans)")
            row = db.execute("SELECT CAST(seq AS INTEGER), CAST(occurred_ns AS INTEGER), typeof(seq), typeof(occurred_ns),"
                             " typeof(vendor), typeof(id), typeof(revision) FROM records WHERE vendor = CAST(? AS TEXT) COLLATE BINARY"
                             " AND id = CAST(? AS TEXT) COLLATE BINARY AND revision = ?", (vendor, ident, revision)).fetchone()
            if row is None:
                return bad(seq, "the records table has no row for this record entry")
            if row[2:] != (b"integer", b"integer", b"text", b"text", b"integer"):
                return bad(seq, "the records table row has a value of the wrong storage type")
            if row[:2] != (seq, ns):
                return bad(seq, "the records table row differs from the record entry")
            records += 1
        elif kind in derived:
            table, name = derived[kind], kind.decode()
            obj = json_object(payload)
            if obj is None:
                return bad(seq, f"{name} payload is not JSON")
            try:
                if kind == b"contract" and hashlib.sha256(text(obj, "text")).hexdigest().encode() != text(obj, "sha256"):
                    return bad(seq, "contract sha256 does not match its text")
                if table.row is None or table.seq != seq:
                    return bad(seq, f"the {table.table} table has no row for this {name} entry")
                members = DERIVED[kind][2]
                if table.row[1 + len(members):] != tuple(b"integer" if m == "version" else b"text" for m in members):
                    return bad(seq, f"the {table.table} table row has a value of the wrong storage type")
                for column, member in zip(table.row[1:], DERIVED[kind][2]):
                    if column != (int64(obj, member) if member == "version" else text(obj, member)):
                        return bad(seq, f"the {table.table} table row differs from the {name} entry")
            except (KeyError, TypeError) as e:
                return bad(seq, f"{name} payload lacks a field: {e}")
            table.next()
        else:
            return bad(seq, f"unknown entry kind '{kind.decode(errors='replace')}'")
        prev = stored_hash
        rep.update(entries=seq, head={"seq": seq, "hash": stored_hash.hex()})
        expected += 1
    if hash_bad is not None:
        return bad(hash_bad, MISMATCH)
    count = db.execute("SELECT count(*) FROM records").fetchone()[0]
    if count != records:  # find the lowest records row that no record entry backs
        at = 0
        for rseq, vendor, ident, revision, kind, payload, types in ((*r[:6], r[6:]) for r in db.execute(
                "SELECT CAST(r.seq AS INTEGER), CAST(r.vendor AS TEXT), CAST(r.id AS TEXT), CAST(r.revision AS INTEGER),"
                " CAST(e.kind AS TEXT), CAST(e.payload AS BLOB), typeof(r.seq), typeof(r.vendor), typeof(r.id), typeof(r.revision)"
                " FROM records r LEFT JOIN entries e ON e.seq = r.seq ORDER BY r.seq")):
            typed = types == (b"integer", b"text", b"text", b"integer")
            m = flat_object(payload) if kind == b"record" and typed else None
            if m is None or [m.get(k, ("", b""))[1] for k in (b"vendor", b"id", b"revision")] != [vendor, ident, b"%d" % revision]:
                at = rseq
                break
        return bad(at, f"the records table has {count} rows but the ledger has {records} record entries")
    for table in derived.values():
        if table.row:
            return bad(table.seq, f"the {table.table} table has a row with no {table.table[:-1]} entry")
    if expect:
        seq, want = expect
        if seq > rep["entries"]:
            return bad(rep["entries"] + 1, f"the ledger ends at entry {rep['entries']} but the anchor is entry {seq}:"
                                           " entries were removed (truncation)")
        got = db.execute("SELECT hash FROM entries WHERE seq = ?", (seq,)).fetchone()
        if got and got[0] != want:
            return bad(seq, f"entry {seq} does not have the anchored hash: the ledger was rewritten")
    return rep


def main():
    ap = argparse.ArgumentParser(description="Verify a Reckon ledger without Reckon (docs/ledger-format.md).")
    ap.add_argument("ledger", help="the ledger file (opened read-only)")
    ap.add_argument("--expect-head", metavar="SEQ:HASH", help="anchor kept from a statement or export")
    ap.add_argument("--json", action="store_true", help="print the result as JSON, like `reckon verify --json`")
    args = ap.parse_args()
    expect = None
    if args.expect_head is not None:
        m = re.fullmatch(r"([0-9]{1,18}):([0-9a-fA-F]{64})", args.expect_head)
        if not m:
            ap.error(f"--expect-head '{args.expect_head}' is not SEQ:HASH (a number, a colon, 64 hex digits)")
        expect = (int(m[1]), bytes.fromhex(m[2]))
        if expect[0] < 1:
            ap.error(f"--expect-head {args.expect_head}: entry 0 is not an anchor; pass the SEQ:HASH (SEQ 1 or more) that a"
                     " statement, `reckon status` or an export printed")
    if not os.path.isfile(args.ledger):
        print(f"ledger '{args.ledger}' does not exist", file=sys.stderr)
        return 1
    try:
        db = sqlite3.connect("file:" + urllib.parse.quote(os.path.abspath(args.ledger)) + "?mode=ro", uri=True,
                             isolation_level=None)
        db.text_factory = bytes
        db.execute("BEGIN")  # one snapshot for everything read below
        app_id = db.execute("PRAGMA application_id").fetchone()[0]
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if db.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0] == 0:
            print(f"ledger '{args.ledger}' is empty (no Reckon tables)", file=sys.stderr)
            return 1
        if app_id != APPLICATION_ID or version != FORMAT:
            print(f"'{args.ledger}' is not a Reckon ledger of format {FORMAT}", file=sys.stderr)
            return 3
        diff = schema_difference(db)
        if diff:
            print(f"ledger '{args.ledger}': the ledger's schema differs from what reckon creates: {diff}; the file was changed"
                  " outside reckon", file=sys.stderr)
            return 3
        rep = verify(db, expect)
    except sqlite3.DatabaseError as e:
        print(f"ledger '{args.ledger}': {e}", file=sys.stderr)
        return 3
    if args.json:
        print(json.dumps(rep, indent=2, sort_keys=True, ensure_ascii=False))
    elif rep["ok"]:
        print(f"ok: {rep['entries']} entries verified; head {rep['head']['seq']}:{rep['head']['hash']}")
    if not rep["ok"]:
        print(f"{args.ledger}: entry {rep['first_bad']}: {rep['reason']}", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
