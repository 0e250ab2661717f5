# Rewrites the statement payloads of a ledger and re-hashes the whole chain
# consistently (what an insider with write access could do), then puts the
# append-only trigger back exactly as it was, so that only an anchor -- or a
# reader that checks every member -- can tell.
import hashlib, json, sqlite3, struct, sys

def entry_hash(seq, kind, prev, payload):
    return hashlib.sha256(b"reckon-entry-v1\0" + struct.pack(">Q", seq) + struct.pack(">I", len(kind)) + kind + prev +
                          struct.pack(">Q", len(payload)) + payload).digest()

db = sqlite3.connect(sys.argv[1])
db.text_factory = bytes
mode = sys.argv[2]
(trigger_sql,) = db.execute("SELECT sql FROM sqlite_schema WHERE name = 'entries_no_update'").fetchone()
db.execute("DROP TRIGGER entries_no_update")
prev = bytes(32)
for seq, kind, payload in db.execute("SELECT seq, kind, payload FROM entries ORDER BY seq").fetchall():
    if kind == b"statement":
        st = json.loads(payload)
        if mode == "totals_num": st["totals"]["fees"] = 5
        if mode == "novendor": del st["vendor"]
        if mode == "condition_str":
            for line in st["lines"]: line["condition"] = "yes"
        if mode == "amount_changed": st["lines"][0]["amount"] = "250.00"
        if mode == "unknown_member": st["paid"] = True
        if mode == "latin1": payload = payload.replace(b'"Per ticket"', b'"Per ticket \xe9"')
        if mode != "latin1": payload = json.dumps(st, sort_keys=True, separators=(",", ":")).encode()
    h = entry_hash(seq, kind, prev, payload)
    db.execute("UPDATE entries SET payload=?, prev_hash=?, hash=? WHERE seq=?", (payload, prev, h, seq))
    prev = h
db.execute(trigger_sql.decode())
db.commit()
