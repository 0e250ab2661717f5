"""Changes a ledger's schema behind reckon's back; no entry and no row value is touched.
Usage: tamper.py LEDGER nocase | drop-trigger | add-column | add-index | drop-table | view"""
import sqlite3, sys

db = sqlite3.connect(sys.argv[1])
triggers = "".join(f"CREATE TRIGGER records_no_{op.lower()} BEFORE {op} ON records BEGIN SELECT RAISE(ABORT, "
                   f"'reckon ledger is append-only: {op} refused'); END;\n" for op in ("UPDATE", "DELETE"))
db.executescript({
    # records rebuilt with id collated NOCASE (X and x interleave in ORDER BY id), triggers recreated
    "nocase": """ALTER TABLE records RENAME TO records_old;
CREATE TABLE records(vendor TEXT NOT NULL, id TEXT NOT NULL COLLATE NOCASE, revision INTEGER NOT NULL,
  seq INTEGER NOT NULL, occurred_ns INTEGER NOT NULL, PRIMARY KEY(vendor, id, revision)) WITHOUT ROWID;
INSERT INTO records SELECT vendor, id, revision, seq, occurred_ns FROM records_old;
DROP TABLE records_old;
""" + triggers,
    "drop-trigger": "DROP TRIGGER entries_no_delete;",
    "add-column": "ALTER TABLE records ADD COLUMN note TEXT;",
    "add-index": "CREATE INDEX records_by_seq ON records(seq);",
    "drop-table": "DROP TABLE statements;",
    # statements emptied (dropped and created again) and records replaced by a view of the same rows
    "view": """DROP TABLE statements;
CREATE TABLE statements(seq INTEGER PRIMARY KEY, contract TEXT NOT NULL, period TEXT NOT NULL, version INTEGER NOT NULL, UNIQUE(contract, period));
ALTER TABLE records RENAME TO r2; CREATE VIEW records AS SELECT * FROM r2;""",
}[sys.argv[2]])
db.commit()
