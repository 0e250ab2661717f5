"""Rewrites a ledger as an earlier Reckon (format 1) stored it: the records table keyed by
(vendor, id, revision), no records indexes, no key_filters table, PRAGMA user_version = 1.
Entries are not touched.
Usage: to_format1.py LEDGER"""
import json, sqlite3, sys

db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.executescript("""BEGIN IMMEDIATE;
DROP TRIGGER key_filters_no_update;
DROP TRIGGER key_filters_no_delete;
DROP TABLE key_filters;
DROP TABLE records;
CREATE TABLE records(
  vendor TEXT NOT NULL,
  id TEXT NOT NULL,
  revision INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  occurred_ns INTEGER NOT NULL,
  PRIMARY KEY(vendor, id, revision)) WITHOUT ROWID;
CREATE TRIGGER records_no_update BEFORE UPDATE ON records BEGIN SELECT RAISE(ABORT, 'reckon ledger is append-only: UPDATE refused'); END;
CREATE TRIGGER records_no_delete BEFORE DELETE ON records BEGIN SELECT RAISE(ABORT, 'reckon ledger is append-only: DELETE refused'); END;
""")
from datetime import datetime
for seq, payload in db.execute("SELECT seq, payload FROM entries WHERE kind = 'record' ORDER BY seq").fetchall():
    p = json.loads(payload)
    t = datetime.fromisoformat(p["occurred_at"].replace("Z", "+00:00"))
    ns = int(t.timestamp()) * 1_000_000_000 + t.microsecond * 1000
    db.execute("INSERT INTO records VALUES(?, ?, ?, ?, ?)", (p["vendor"], p["id"], p["revision"], seq, ns))
db.execute("PRAGMA user_version = 1")
db.execute("COMMIT")
