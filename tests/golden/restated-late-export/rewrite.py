"""Rewrites the ledger consistently: in entry SEQ's payload the bytes OLD become NEW, and every
hash from SEQ on is recomputed (docs/ledger-format.md), so `reckon verify` passes but the entry
no longer follows from the records. Usage: rewrite.py LEDGER SEQ OLD NEW"""
import hashlib, sqlite3, struct, sys

def entry_hash(seq, kind, prev, payload):
    return hashlib.sha256(b"reckon-entry-v1\0" + struct.pack(">Q", seq) + struct.pack(">I", len(kind))
                          + kind + prev + struct.pack(">Q", len(payload)) + payload).digest()

db = sqlite3.connect(sys.argv[1])
first, old, new = int(sys.argv[2]), sys.argv[3].encode(), sys.argv[4].encode()
# The UPDATE triggers are dropped for the rewrite and recreated with their exact SQL afterwards:
# reckon refuses a ledger whose schema differs from the one it creates.
triggers = db.execute("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND name LIKE '%_no_update'").fetchall()
for name, _ in triggers:
    db.execute(f"DROP TRIGGER {name}")
prev = bytes(db.execute("SELECT hash FROM entries WHERE seq = ?", (first - 1,)).fetchone()[0])
rows = db.execute("SELECT seq, kind, payload FROM entries WHERE seq >= ? ORDER BY seq", (first,)).fetchall()
for seq, kind, payload in rows:
    payload = bytes(payload)
    if seq == first:
        assert payload.count(old) == 1, "OLD must occur once"
        payload = payload.replace(old, new)
    h = entry_hash(seq, kind.encode(), prev, payload)
    db.execute("UPDATE entries SET payload = ?, prev_hash = ?, hash = ? WHERE seq = ?", (payload, prev, h, seq))
    prev = h
for _, sql in triggers:
    db.execute(sql)
db.commit()
