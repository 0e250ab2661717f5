"""Rewrites a ledger as Reckon's format 2 stored it: records_key ordered by id_key alone, no
key_filters table, PRAGMA user_version = 2. Entries and records rows are not touched.
Usage: to_format2.py LEDGER"""
import sqlite3, sys

db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.executescript("""BEGIN IMMEDIATE;
DROP TRIGGER key_filters_no_update;
DROP TRIGGER key_filters_no_delete;
DROP TABLE key_filters;
DROP INDEX records_key;
CREATE INDEX records_key ON records(id_key);
PRAGMA user_version = 2;
COMMIT;
""")
