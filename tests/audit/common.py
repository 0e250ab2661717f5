"""Shared helpers of the audit tests (tests/audit/*.py): running reckon and both verifiers,
copying and tampering with ledgers. Each test is run by CTest as
    python3 tests/audit/TEST.py PATH/TO/reckon REPO_ROOT WORK_DIR [PATH/TO/bench_gen]
"""
import json, os, shutil, sqlite3, subprocess, sys

FAILURES = []


class Env:
    def __init__(self):
        if len(sys.argv) < 4:
            sys.exit(f"usage: {sys.argv[0]} RECKON REPO_ROOT WORK_DIR [BENCH_GEN]")
        self.reckon = os.path.abspath(sys.argv[1])
        self.root = os.path.abspath(sys.argv[2])
        self.work = os.path.abspath(sys.argv[3])
        self.bench_gen = os.path.abspath(sys.argv[4]) if len(sys.argv) > 4 else None
        self.verifier = os.path.join(self.root, "ledger", "verify_ledger.py")
        shutil.rmtree(self.work, ignore_errors=True)
        os.makedirs(self.work)

    def path(self, name):
        return os.path.join(self.work, name)

    def run(self, ledger, *args, env=None, **kw):
        """reckon --ledger LEDGER ARGS...: CompletedProcess with text stdout / stderr."""
        return subprocess.run([self.reckon, "--ledger", ledger, *args], capture_output=True, text=True,
                              env=env, **kw)

    def ok(self, ledger, *args, **kw):
        r = self.run(ledger, *args, **kw)
        if r.returncode != 0:
            sys.exit(f"reckon {' '.join(args)} failed ({r.returncode}): {r.stderr}")
        return r

    def verify(self, ledger, expect=None):
        """Runs `reckon verify --json` and verify_ledger.py --json: ((rc, json), (rc, json))."""
        extra = ["--expect-head", expect] if expect else []
        results = []
        for cmd in ([self.reckon, "--ledger", ledger, "verify", "--json", *extra],
                    [sys.executable, self.verifier, "--json", *extra, ledger]):
            r = subprocess.run(cmd, capture_output=True, text=True)
            try:
                out = json.loads(r.stdout) if r.stdout.strip() else None
            except ValueError:
                out = {"unparsable": r.stdout}
            results.append((r.returncode, out, r.stderr))
        return results

    def verify_ok(self, ledger, what=""):
        (rc, out, err), _ = self.verify(ledger)
        check(rc == 0 and out and out["ok"], f"{what}: reckon verify fails: {out} {err}")
        return out

    def counts(self, ledger):
        """(records, statements) as stored, read with a plain sqlite3 connection."""
        db = sqlite3.connect(f"file:{ledger}?mode=ro", uri=True)
        try:
            return tuple(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("records", "statements"))
        finally:
            db.close()


def check(cond, msg):
    if not cond:
        FAILURES.append(msg)
        print("FAIL:", msg, flush=True)
    return cond


def finish():
    if FAILURES:
        print(f"\n{len(FAILURES)} failure(s)")
        sys.exit(1)
    print("all checks passed")


def copy_ledger(src, dst):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(dst + suffix):
            os.remove(dst + suffix)
    for suffix in ("", "-wal"):
        if os.path.exists(src + suffix):
            shutil.copyfile(src + suffix, dst + suffix)


def tamper(path, *sqls, fn=None, restore=True):
    """Drops the append-only triggers (as anyone with write access can), runs SQL / fn(db), then
    recreates the triggers with their exact SQL (of the tables still there), so that the schema is
    the one reckon creates again and only the rows differ -- unless restore is False."""
    db = sqlite3.connect(path, isolation_level=None)
    triggers = db.execute("SELECT name, tbl_name, sql FROM sqlite_schema WHERE type = 'trigger' ORDER BY rowid").fetchall()
    for name, _, _ in triggers:
        db.execute(f"DROP TRIGGER {name}")
    db.execute("BEGIN")
    for sql in sqls:
        if isinstance(sql, tuple):
            db.execute(*sql)
        else:
            db.execute(sql)
    if fn:
        fn(db)
    if restore:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
        now = {r[0] for r in db.execute("SELECT name FROM sqlite_schema WHERE type = 'trigger'")}
        for name, table, sql in triggers:
            if table in tables and name not in now:  # (a trigger the SQL created anew stays as it is)
                db.execute(sql)
    db.execute("COMMIT")
    db.close()
