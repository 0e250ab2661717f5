"""Changes one column of one records row behind reckon's back (the triggers dropped and put back).
Usage: tamper.py LEDGER SEQ COLUMN-ASSIGNMENT"""
import sqlite3, sys

db = sqlite3.connect(sys.argv[1])
trigger = db.execute("SELECT sql FROM sqlite_schema WHERE name = 'records_no_update'").fetchone()[0]
db.execute("DROP TRIGGER records_no_update")
db.execute(f"UPDATE records SET {sys.argv[3]} WHERE seq = {int(sys.argv[2])}")
db.execute(trigger)
db.commit()
