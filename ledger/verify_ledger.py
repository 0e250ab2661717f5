#!/usr/bin/env python3
"""Stand-alone verifier for a Reckon ledger (docs/ledger-format.md), Python standard library only.

    python3 verify_ledger.py [--expect-head SEQ:HASH] [--json] LEDGER.db

Opens the file read-only and checks what `reckon verify` checks, in the same order, so both name
the same first bad entry: the schema is exactly the one reckon creates (SCHEMA below); seq 1, 2,
3, ... without gaps; each entry's prev_hash is the previous entry's hash (32 zero bytes for entry
1); each hash is SHA-256 of the length-prefixed encoding below; every derived row (records,
contracts, statements, adjustments) matches its entry, with every column of the right storage
class, and no derived row lacks an entry; each records row's `stale`, `replaces` and `replaces_ns`
are what replaying the record entries gives, and each records index holds exactly the entries
its rows imply; key_filters holds one row per finished key generation, each the Bloom filter rebuilt
from that generation's records rows, byte for byte. With --expect-head, entry SEQ (1 or more) must exist
and have HASH.
Exit 0: ok; 3: integrity failure; 2: usage; 1: the file cannot be read as a ledger.
"""
import argparse, datetime, decimal, hashlib, json, os, re, sqlite3, struct, sys, urllib.parse

APPLICATION_ID = 0x52434B4E  # "RCKN"
FORMAT = 3
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


MAX_RECORD_MEMBERS = 600  # kMaxRecordMembers (ledger/payload/record.h)


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


# Stored statement, adjustment and contract payloads, checked as reckon's typed readers check them
# (ledger/payload/): every member present with its type, no unknown member, money with exactly the
# currency's minor digits, totals that are the sums of the lines. ISO 4217 minor units, as in
# dsl/currency.cpp (a test keeps the two tables equal):
CURRENCY_MINOR = {"AED": 2, "AFN": 2, "ALL": 2, "AMD": 2, "ANG": 2, "AOA": 2, "ARS": 2, "AUD": 2, "AWG": 2, "AZN": 2,
    "BAM": 2, "BBD": 2, "BDT": 2, "BGN": 2, "BHD": 3, "BIF": 0, "BMD": 2, "BND": 2, "BOB": 2, "BOV": 2, "BRL": 2,
    "BSD": 2, "BTN": 2, "BWP": 2, "BYN": 2, "BZD": 2, "CAD": 2, "CDF": 2, "CHE": 2, "CHF": 2, "CHW": 2, "CLF": 4,
    "CLP": 0, "CNY": 2, "COP": 2, "COU": 2, "CRC": 2, "CUC": 2, "CUP": 2, "CVE": 2, "CZK": 2, "DJF": 0, "DKK": 2,
    "DOP": 2, "DZD": 2, "EGP": 2, "ERN": 2, "ETB": 2, "EUR": 2, "FJD": 2, "FKP": 2, "GBP": 2, "GEL": 2, "GHS": 2,
    "GIP": 2, "GMD": 2, "GNF": 0, "GTQ": 2, "GYD": 2, "HKD": 2, "HNL": 2, "HTG": 2, "HUF": 2, "IDR": 2, "ILS": 2,
    "INR": 2, "IQD": 3, "IRR": 2, "ISK": 0, "JMD": 2, "JOD": 3, "JPY": 0, "KES": 2, "KGS": 2, "KHR": 2, "KMF": 0,
    "KPW": 2, "KRW": 0, "KWD": 3, "KYD": 2, "KZT": 2, "LAK": 2, "LBP": 2, "LKR": 2, "LRD": 2, "LSL": 2, "LYD": 3,
    "MAD": 2, "MDL": 2, "MGA": 2, "MKD": 2, "MMK": 2, "MNT": 2, "MOP": 2, "MRU": 2, "MUR": 2, "MVR": 2, "MWK": 2,
    "MXN": 2, "MXV": 2, "MYR": 2, "MZN": 2, "NAD": 2, "NGN": 2, "NIO": 2, "NOK": 2, "NPR": 2, "NZD": 2, "OMR": 3,
    "PAB": 2, "PEN": 2, "PGK": 2, "PHP": 2, "PKR": 2, "PLN": 2, "PYG": 0, "QAR": 2, "RON": 2, "RSD": 2, "RUB": 2,
    "RWF": 0, "SAR": 2, "SBD": 2, "SCR": 2, "SDG": 2, "SEK": 2, "SGD": 2, "SHP": 2, "SLE": 2, "SLL": 2, "SOS": 2,
    "SRD": 2, "SSP": 2, "STN": 2, "SVC": 2, "SYP": 2, "SZL": 2, "THB": 2, "TJS": 2, "TMT": 2, "TND": 3, "TOP": 2,
    "TRY": 2, "TTD": 2, "TWD": 2, "TZS": 2, "UAH": 2, "UGX": 0, "USD": 2, "USN": 2, "UYI": 0, "UYU": 2, "UYW": 4,
    "UZS": 2, "VED": 2, "VES": 2, "VND": 0, "VUV": 0, "WST": 2, "XAF": 0, "XCD": 2, "XCG": 2, "XOF": 0, "XPF": 0,
    "YER": 2, "ZAR": 2, "ZMW": 2, "ZWG": 2, "ZWL": 2}
NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
LINE_KINDS = ("fee", "commitment", "penalty", "reward", "cap", "adjustment", "minimum", "maximum")


class PayloadError(Exception):
    pass


class Fields:
    """The members of one JSON object, read with their types; unknown members are an error at finish()."""

    def __init__(self, obj, path):
        if not isinstance(obj, dict):
            raise PayloadError(f"{path or 'the payload'} must be a JSON object")
        self.obj, self.path, self.read = obj, path, set()

    def name(self, key):
        return f"{self.path}.{key}" if self.path else key

    def get(self, key, kinds, what, required=True):
        self.read.add(key)
        if key not in self.obj:
            if required:
                raise PayloadError(f"{self.name(key)} is missing")
            return None
        v = self.obj[key]
        if isinstance(v, bool) != (kinds == bool) or not isinstance(v, kinds):
            raise PayloadError(f"{self.name(key)} must be {what}")
        return v

    def str(self, key, required=True):
        return self.get(key, str, "a string", required)

    def int(self, key, low=0):
        v = self.get(key, int, "an integer")
        if not -2**63 <= v < 2**63:
            raise PayloadError(f"{self.name(key)} is out of range")
        if v < low:
            raise PayloadError(f"{self.name(key)} must be at least {low}")
        return v

    def obj_(self, key, kind=dict, what="an object"):
        return self.get(key, kind, what)

    def finish(self):
        for key in self.obj:
            if key not in self.read:
                raise PayloadError(f"{self.path or 'the payload'} has an unknown member '{key[:40]}'")


def money(text, minor, what):
    if not (NUMBER.fullmatch(text) and len(text) <= 64):
        raise PayloadError(f"{what} is not a money amount")
    frac = len(text) - text.index(".") - 1 if "." in text else 0
    value = decimal.Decimal(text)
    if frac != minor or (text.startswith("-0") and value == 0):
        raise PayloadError(f"{what} is not an amount with exactly {minor} decimal(s)")
    return value


def check_statement(obj):
    """The statement's (contract, period, version, currency minor units, net); PayloadError if damaged."""
    f = Fields(obj, "")
    contract, version = f.str("contract"), f.int("version", 1)
    if not re.fullmatch(r"[0-9a-f]{64}", f.str("contract_sha256")):
        raise PayloadError("member 'contract_sha256' is not 64 lower-case hex digits")
    f.str("vendor")
    f.str("customer", required=False)  # absent in statements of earlier releases
    code = f.str("currency")
    if code not in CURRENCY_MINOR:
        raise PayloadError(f"member 'currency' is '{code[:16]}', not an ISO 4217 code")
    minor = CURRENCY_MINOR[code]
    period = f.str("period")
    for key in ("period_start", "period_end", "timezone"):
        f.str(key)
    r = Fields(f.obj_("records"), "records")
    for key in ("counted", "excluded", "unverified", "voided", "late"):
        r.int(key)
    r.finish()
    def check_values(obj_, what):
        for key, v in obj_.items():
            if v is not None and not (isinstance(v, str) and NUMBER.fullmatch(v) and len(v) <= 64):
                raise PayloadError(f"{what}.{key[:40]} must be a decimal string or null")
    check_values(f.obj_("metrics"), "metrics")
    sums = dict.fromkeys(("fees", "penalties", "rewards", "adjustments", "true_up", "net"), decimal.Decimal(0))
    for i, line in enumerate(f.obj_("lines", list, "an array")):
        lf = Fields(line, f"lines[{i}]")
        kind = lf.str("kind")
        if kind not in LINE_KINDS:
            raise PayloadError(f"lines[{i}] has unknown kind '{kind[:20]}'")
        lf.str("name")
        amount = money(lf.str("amount"), minor, f"lines[{i}].amount")
        lf.str("explain")
        lf.get("condition", bool, "true or false", required=False)
        period_ = lf.str("period", required=False)
        if kind == "adjustment" and not period_:
            raise PayloadError(f"lines[{i}] is an adjustment without 'period'")
        lf.finish()
        sums["net"] += amount
        total = {"fee": "fees", "penalty": "penalties", "reward": "rewards", "adjustment": "adjustments",
                 "commitment": "true_up", "minimum": "true_up", "maximum": "true_up",
                 "cap": "penalties" if amount >= 0 else "rewards"}.get(kind)
        if total:
            sums[total] += amount
    t = Fields(f.obj_("totals"), "totals")
    # Statements of earlier releases have no true_up: it is then the sum of their true-up lines.
    totals = {key: money(t.str(key), minor, f"totals.{key}") for key in sums if key != "true_up"}
    true_up = t.str("true_up", required=False)
    totals["true_up"] = sums["true_up"] if true_up is None else money(true_up, minor, "totals.true_up")
    t.finish()
    for i, n in enumerate(f.obj_("not_assessed", list, "an array")):
        nf = Fields(n, f"not_assessed[{i}]")
        for key in ("kind", "name", "reason"):
            nf.str(key)
        nf.finish()
    f.int("as_of_seq")
    # meta and reported: only in statements of contracts that have them.
    if "meta" in f.obj:
        for key, v in f.obj_("meta").items():
            if not isinstance(v, str):
                raise PayloadError(f"meta.{key[:40]} must be a string")
    if "reported" in f.obj:
        check_values(f.obj_("reported"), "reported")
    f.finish()
    for key, value in sums.items():
        if totals[key] != value:
            raise PayloadError(f"totals.{key} is not the sum of its lines")
    if sum(totals[k] for k in ("fees", "penalties", "rewards", "adjustments", "true_up")) != totals["net"]:
        raise PayloadError("totals.net is not fees + penalties + rewards + adjustments + true_up")
    return contract, period, version, minor, totals["net"]


def check_payload(kind, obj):
    """Raises PayloadError when a stored contract, statement or adjustment payload is damaged."""
    if kind == b"contract":
        f = Fields(obj, "")
        f.str("contract"), f.int("version", 1), f.str("vendor")
        sha, text_ = f.str("sha256"), f.str("text")
        f.finish()
        if hashlib.sha256(text_.encode("utf-8")).hexdigest() != sha:
            raise PayloadError("contract sha256 does not match its text")
    elif kind == b"statement":
        check_statement(obj)
    else:
        f = Fields(obj, "")
        contract, version, period = f.str("contract"), f.int("version", 1), f.str("period")
        f.str("posted_in"), f.int("as_of_seq")
        c = Fields(f.obj_("changes"), "changes")
        for key in ("late", "corrected", "voided"):
            c.int(key)
        c.finish()
        settled_before, amount = f.str("settled_before"), f.str("amount")
        f.str("explain")
        f.read.add("statement")
        if "statement" not in obj:
            raise PayloadError("statement is missing")
        f.finish()
        s_contract, s_period, s_version, minor, net = check_statement(obj["statement"])
        if (s_contract, s_period, s_version) != (contract, period, version):
            raise PayloadError("its statement is not of the adjusted period")
        if net - money(settled_before, minor, "settled_before") != money(amount, minor, "amount"):
            raise PayloadError("amount is not the re-evaluated net less what was settled before")


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


TABLES = ("entries", "contracts", "records", "statements", "adjustments", "key_filters")

# The schema reckon creates, exactly as SQLite keeps it in sqlite_schema: (type, name, tbl_name, sql) in
# creation order. Settlement reads through it (collations, keys, triggers) and the hash chain does not
# cover it, so any difference -- a collation, a dropped trigger, an added column, index or view -- fails.
TABLE_SQL = {
    "entries": "CREATE TABLE entries(\n  seq INTEGER PRIMARY KEY,\n  kind TEXT NOT NULL,\n  payload BLOB NOT NULL,\n"
               "  prev_hash BLOB NOT NULL,\n  hash BLOB NOT NULL)",
    "contracts": "CREATE TABLE contracts(\n  seq INTEGER PRIMARY KEY,\n  contract TEXT NOT NULL,\n  version INTEGER NOT NULL,\n"
                 "  vendor TEXT NOT NULL,\n  sha256 TEXT NOT NULL,\n  UNIQUE(contract, version))",
    "records": "CREATE TABLE records(\n  seq INTEGER PRIMARY KEY,\n  vendor TEXT NOT NULL,\n  id_key INTEGER NOT NULL,\n"
               "  revision INTEGER NOT NULL,\n  occurred_ns INTEGER NOT NULL,\n  stale INTEGER NOT NULL,\n  replaces INTEGER,\n"
               "  replaces_ns INTEGER)",
    "statements": "CREATE TABLE statements(\n  seq INTEGER PRIMARY KEY,\n  contract TEXT NOT NULL,\n  period TEXT NOT NULL,\n"
                  "  version INTEGER NOT NULL,\n  UNIQUE(contract, period))",
    "adjustments": "CREATE TABLE adjustments(\n  seq INTEGER PRIMARY KEY,\n  contract TEXT NOT NULL,\n  period TEXT NOT NULL,\n"
                   "  posted_in TEXT NOT NULL,\n  version INTEGER NOT NULL,\n  UNIQUE(contract, period, posted_in))",
    "key_filters": "CREATE TABLE key_filters(\n  gen INTEGER PRIMARY KEY,\n  filter BLOB NOT NULL)",
}
TRIGGER_SQL = "CREATE TRIGGER {0}_no_{1} BEFORE {2} ON {0} BEGIN SELECT RAISE(ABORT, 'reckon ledger is append-only: {2} refused'); END"
SCHEMA = [o for t in TABLES for o in [("table", t, t, TABLE_SQL[t])]
          + ([("index", f"sqlite_autoindex_{t}_1", t, None)] if "UNIQUE(" in TABLE_SQL[t] else [])]  # automatic index: sql NULL
# The records indexes: by key generation, then key (ingest's lookup of an id: a month of random ids inserts
# into the newest generation's part only), by vendor and time (a period's records), and the replaced
# revisions by the time they had (what a period lost).
INDEX_SQL = [("records_key", "CREATE INDEX records_key ON records(seq >> 20, id_key)"),
             ("records_period", "CREATE INDEX records_period ON records(vendor, stale, occurred_ns) WHERE stale = 0"),
             ("records_replaced", "CREATE INDEX records_replaced ON records(vendor, replaces_ns, replaces) WHERE replaces IS NOT NULL")]
SCHEMA += [("index", name, "records", sql) for name, sql in INDEX_SQL]
SCHEMA += [("trigger", f"{t}_no_{op.lower()}", t, TRIGGER_SQL.format(t, op.lower(), op)) for t in TABLES for op in ("UPDATE", "DELETE")]


def fnv1a64(h, data):
    for c in data:
        h = ((h ^ c) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def record_key(vendor, ident):
    """The records table's id_key (docs/ledger-format.md), as a signed 64-bit integer: for an id that
    ends in 4 or more digits (at most 18 counted), FNV-1a 64 of vendor, 0x00, the rest of the id, 0x00 and the
    byte 0x30 + the digit count, keeping the high 32 bits, with the number mod 2^32 below; for
    any other id, FNV-1a 64 of vendor, 0x00 and id."""
    digits = len(ident) - len(ident.rstrip(b"0123456789"))
    digits = min(digits, 18)
    h = fnv1a64(0xCBF29CE484222325, vendor + b"\0")
    if digits < 4:
        h = fnv1a64(h, ident)
    else:
        prefix, tail = ident[:len(ident) - digits], ident[len(ident) - digits:]
        h = (fnv1a64(h, prefix + b"\0" + bytes([0x30 + digits])) & 0xFFFFFFFF00000000) | (int(tail) & 0xFFFFFFFF)
    return h - (1 << 64) if h >= 1 << 63 else h


# Key generations and their filters (ledger/key_filter.h): entry seq is in generation seq >> 20; with the
# head at entry H, generations 0 .. ((H + 1) >> 20) - 1 are finished, and key_filters holds exactly one
# row for each: a blocked Bloom filter of the id_key of its records rows, 32,768 blocks of 64 bytes, each
# block eight 64-bit words stored little-endian. A key sets one bit in each word of one block.
GENERATION_BITS = 20  # kKeyGenerationBits
FILTER_BLOCKS = 1 << 15  # kKeyFilterBlockBits: the block is the top 15 bits of the hash
FILTER_BYTES = FILTER_BLOCKS * 64  # 2,097,152
U64 = 0xFFFFFFFFFFFFFFFF
# A block is kept as one 512-bit integer (word i = bits 64i .. 64i+63; to_bytes(64, "little") is then the
# stored bytes). The eight bits a hash sets in it, by 12 bits of the hash at a time (two words each):
# FILTER_BITS[j][c] has bit (c & 63) of word 2j and bit (c >> 6) of word 2j+1, c = (hash >> 12j) & 4095.
FILTER_BITS = [[(1 << (128 * j + (c & 63))) | (1 << (128 * j + 64 + (c >> 6))) for c in range(4096)] for j in range(4)]


def key_filter(keys):
    """The stored bytes of the filter of these id_keys: for each, h = splitmix64's finalizer of the key
    taken as unsigned 64-bit (KeyFilterHash); block h >> 49; in word i (0..7) of it, bit (h >> 6i) & 63."""
    blocks, (b0, b1, b2, b3) = [0] * FILTER_BLOCKS, FILTER_BITS
    for z in keys:
        z &= U64  # the signed id_key as unsigned
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & U64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & U64
        h = z ^ (z >> 31)
        blocks[h >> 49] |= b0[h & 4095] | b1[h >> 12 & 4095] | b2[h >> 24 & 4095] | b3[h >> 36 & 4095]
    return b"".join(b.to_bytes(64, "little") for b in blocks)


def key_filters_difference(db, rows_seen, head):
    """(entry, reason) of what is wrong with key_filters, or None: first the lowest finished generation
    whose row is missing or not the filter rebuilt from its records rows (rows_seen, in seq order), named
    at its last entry, (g + 1) * 2^20 - 1, whose transaction wrote the row; then the lowest generation
    that has a row but is not finished (or below 0), named at the head (as reckon verify names both)."""
    finished = (head + 1) >> GENERATION_BITS
    fix = "; the file was changed outside reckon"
    rows = db.execute("SELECT gen, typeof(filter), filter FROM key_filters WHERE gen >= 0 AND gen < ? ORDER BY gen", (finished,))
    row, at = rows.fetchone(), 0
    for g in range(finished):
        last = ((g + 1) << GENERATION_BITS) - 1
        if row is None or row[0] != g:
            return last, f"the key_filters table has no row for generation {g}, which is finished{fix}"
        keys = []
        while at < len(rows_seen) and rows_seen[at][0] <= last:
            keys.append(rows_seen[at][2])
            at += 1
        _, typ, stored = row
        if typ != b"blob":
            return last, f"the key_filters row of generation {g} has a value of the wrong storage type{fix}"
        if len(stored) != FILTER_BYTES:
            return last, f"the key_filters row of generation {g} is {len(stored)} bytes, not {FILTER_BYTES}{fix}"
        want = key_filter(keys)
        if stored != want:
            i = next(i for i in range(FILTER_BYTES) if stored[i] != want[i])
            return last, (f"the key_filters row of generation {g} differs from the filter of its {len(keys)} records rows"
                          f" (at byte {i}){fix}")
        row = rows.fetchone()
    g = db.execute("SELECT min(gen) FROM key_filters WHERE gen < 0 OR gen >= ?", (finished,)).fetchone()[0]
    if g is not None:
        why = "which does not exist" if g < 0 else "which is not finished"
        if 0 <= g < (2**63 - 1) >> GENERATION_BITS:
            why += f" (its last entry would be {((g + 1) << GENERATION_BITS) - 1})"
        return head, f"the key_filters table has a row for generation {g}, {why}{fix}"
    return None


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
    prev, expected = bytes(32), 1
    rec_rows = db.execute("SELECT seq, CAST(vendor AS BLOB), id_key, revision, occurred_ns, stale, replaces, replaces_ns,"
                          " typeof(vendor), typeof(id_key), typeof(revision), typeof(occurred_ns), typeof(stale),"
                          " typeof(replaces), typeof(replaces_ns) FROM records ORDER BY seq")
    rec_row = rec_rows.fetchone()
    latest, replay_bad, rows_seen = {}, None, []
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
            # The shared record payload rule (ledger/payload/record.h): core fields have their types.
            want = {b"vendor": "string", b"id": "string", b"occurred_at": "string", b"revision": "int",
                    b"verified": "bool", b"void": "bool"}
            if any(k in m and m[k][0] != kind_ for k, kind_ in want.items()):
                return bad(seq, "record payload has a core field of the wrong type (vendor, id and occurred_at"
                                " are strings, revision an integer, verified and void booleans)")
            # The records table is read beside the entries, in seq order: a row below this entry has no
            # record entry; this entry's row has the same vendor, key, revision and time.
            if rec_row is not None and rec_row[0] < seq:  # reported as the entries before it verified
                at = rec_row[0]
                before = db.execute("SELECT hash FROM entries WHERE seq = ?", (at - 1,)).fetchone() if at > 1 else None
                rep.update(entries=max(0, at - 1), head={"seq": max(0, at - 1) if before else 0,
                                                         "hash": before[0].hex() if before else "00" * 32})
                return bad(at, "the records table has a row with no record entry")
            if rec_row is None or rec_row[0] != seq:
                return bad(seq, "the records table has no row for this record entry")
            r_seq, r_vendor, r_key, r_rev, r_ns, r_stale, r_repl, r_repl_ns = rec_row[:8]
            types = rec_row[8:]
            if types[:5] != (b"text", b"integer", b"integer", b"integer", b"integer") or types[5:] not in (
                    (b"null", b"null"), (b"integer", b"integer")):
                return bad(seq, "the records table row has a value of the wrong storage type")
            if (r_vendor, r_key, r_rev, r_ns) != (vendor, record_key(vendor, ident), revision, ns):
                return bad(seq, "the records table row differs from the record entry")
            # Replayed: the highest revision of the id so far is the effective one; a lower revision
            # arriving later is stale, a higher one replaces it. Compared after the pass (as reckon
            # does: its fast checks decide whether to replay).
            last = latest.get((vendor, ident))
            stale = last is not None and last[0] > revision
            want = (1 if stale else 0, last[1] if last and not stale else None, last[2] if last and not stale else None)
            if not stale:
                latest[(vendor, ident)] = (revision, seq, ns)
            if replay_bad is None and (r_stale, r_repl, r_repl_ns) != want:
                replay_bad = seq
            rows_seen.append((r_seq, r_vendor, r_key, r_ns, r_stale, r_repl, r_repl_ns))
            rec_row = rec_rows.fetchone()
        elif kind in derived:
            table, name = derived[kind], kind.decode()
            obj = json_object(payload)
            if obj is None:
                return bad(seq, f"{name} payload is not JSON")
            try:
                check_payload(kind, obj)
            except PayloadError as e:
                return bad(seq, str(e))
            try:
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
    if rec_row is not None:  # a records row past the last record entry
        return bad(rec_row[0], "the records table has a row with no record entry")
    # The key filters: each finished generation's rebuilt from its rows (reckon verify checks them here too).
    diff = key_filters_difference(db, rows_seen, rep["entries"])
    if diff:
        return bad(*diff)
    # The replayed columns, and each index against the rows (the lowest seq where they differ).
    firsts = [replay_bad] if replay_bad is not None else []
    # records_key is read whole (a covering scan): seq >> 20 is the value the index holds, not recomputed.
    for want, sql in (({(r[0] >> GENERATION_BITS, r[2], r[0]) for r in rows_seen},
                       "SELECT seq >> 20, id_key, seq FROM records INDEXED BY records_key"),
                      ({(r[1], r[3], r[0]) for r in rows_seen if r[4] == 0},
                       "SELECT CAST(vendor AS BLOB), occurred_ns, seq FROM records INDEXED BY records_period WHERE stale = 0"),
                      ({(r[1], r[6], r[5], r[0]) for r in rows_seen if r[5] is not None},
                       "SELECT CAST(vendor AS BLOB), replaces_ns, replaces, seq FROM records INDEXED BY records_replaced"
                       " WHERE replaces IS NOT NULL")):
        have = {tuple(r) for r in db.execute(sql)}
        firsts += [t[-1] for t in want ^ have]
    if firsts:
        return bad(min(firsts), "the records table or one of its indexes differs from what the record entries imply"
                                " (a row's replaced revision, staleness or index entries)")
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
