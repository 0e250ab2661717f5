"""Prints the ledger's entry count and head, read with plain sqlite3 (reckon refuses the file)."""
import sqlite3, sys

db = sqlite3.connect(sys.argv[1])
print("entries %d, head %d:%s" % db.execute("SELECT (SELECT count(*) FROM entries), seq, lower(hex(hash)) FROM entries ORDER BY seq DESC LIMIT 1").fetchone())
