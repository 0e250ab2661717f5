"""Changes a ledger's schema behind reckon's back; no entry and no row value is touched.
Usage: tamper.py LEDGER nocase | drop-trigger | add-column | add-index | drop-table | view"""
import sqlite3, sys

db = sqlite3.connect(sys.argv[1])
triggers = "".join(f"CREATE TRIGGER records_no_{op.lower()} BEFORE {op} ON records BEGIN SELECT RAISE(ABORT, "
                   f"'reckon ledger is append-only: {op} refused'); END;\n" for op in ("UPDATE", "DELETE"))
db.executescript({
    # records rebuilt with vendor collated NOCASE (a period scan of vendor 'v' would read vendor 'V' too),
    # indexes and triggers recreated
    "nocase": """ALTER TABLE records RENAME TO records_old;
CREATE TABLE records(seq INTEGER PRIMARY KEY, vendor TEXT NOT NULL COLLATE NOCASE, id_key INTEGER NOT NULL,
  revision INTEGER NOT NULL, occurred_ns INTEGER NOT NULL, stale INTEGER NOT NULL, replaces INTEGER, replaces_ns INTEGER);
INSERT INTO records SELECT * FROM records_old;
DROP TABLE records_old;
CREATE INDEX records_key ON records(id_key);
CREATE INDEX records_period ON records(vendor, stale, occurred_ns) WHERE stale = 0;
CREATE INDEX records_replaced ON records(vendor, replaces_ns, replaces) WHERE replaces IS NOT NULL;
""" + triggers,
    "drop-trigger": "DROP TRIGGER entries_no_delete;",
    "add-column": "ALTER TABLE records ADD COLUMN note TEXT;",
    "add-index": "CREATE INDEX records_by_vendor ON records(vendor);",
    "drop-table": "DROP TABLE statements;",
    # statements emptied (dropped and created again) and records replaced by a view of the same rows
    "view": """DROP TABLE statements;
CREATE TABLE statements(seq INTEGER PRIMARY KEY, contract TEXT NOT NULL, period TEXT NOT NULL, version INTEGER NOT NULL, UNIQUE(contract, period));
ALTER TABLE records RENAME TO r2; CREATE VIEW records AS SELECT * FROM r2;""",
}[sys.argv[2]])
db.commit()
