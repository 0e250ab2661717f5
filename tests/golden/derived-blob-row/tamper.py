"""Re-stores derived rows with their contract id as a BLOB (same bytes), by INSERT OR REPLACE, which
the append-only triggers do not stop. No entry is touched. Usage: tamper.py LEDGER statements|adjustments"""
import sqlite3, sys

db = sqlite3.connect(sys.argv[1])
table = sys.argv[2]
cols = "seq, contract, period, version" if table == "statements" else "seq, contract, period, posted_in, version"
for row in db.execute(f"SELECT {cols} FROM {table}").fetchall():
    db.execute(f"INSERT OR REPLACE INTO {table}({cols}) VALUES(?, CAST(? AS BLOB){', ?' * (len(row) - 2)})", row)
db.commit()
print(table, "now:", db.execute(f"SELECT seq, typeof(contract) FROM {table}").fetchall())
