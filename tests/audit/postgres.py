#!/usr/bin/env python3
"""The PostgreSQL ledger from the command line (docs/postgresql.md), on the server named by
$RECKON_TEST_PG (an admin address whose database is `postgres`, as tests/pg/cluster.sh prints):

  writers  four `reckon ingest` processes at once into one database: no fork, nothing lost,
           a file sent by all four stored exactly once; the SQLite copy passes the Python
           verifier; a writer that cannot get the lock in time gives up (exit 4), writing nothing
  kill9    kill -9 at random points of an ingest and of settlements: the database verifies after
           each kill, each command wholly present or absent; re-running ends at the very head of an
           uninterrupted SQLite run
  copy     PostgreSQL -> SQLite -> PostgreSQL: same head; the stand-alone Python verifier accepts
           the SQLite copy; a non-empty destination is refused with its head unchanged

    postgres.py RECKON REPO_ROOT WORK_DIR BENCH_GEN writers|kill9|copy
Skipped (exit 77) when RECKON_TEST_PG is not set.
"""
import json, os, random, signal, subprocess, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Env, check, finish, tamper

admin = os.environ.get("RECKON_TEST_PG")
if not admin:
    print("RECKON_TEST_PG is not set: skipped")
    sys.exit(77)
env = Env()
mode = sys.argv[5]
contract = os.path.join(env.root, "contracts/acme-support.yaml")
databases = []


def psql(sql):
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", admin, "-c", sql], check=True, capture_output=True)


def new_db(tag):
    name = f"audit_{mode}_{tag}_{os.getpid()}"
    psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    psql(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    databases.append(name)
    base, query = admin.split("?", 1)
    return f"{base.rsplit('/', 1)[0]}/{name}?{query}"


def gen(name, count, period, prefix, seed):
    path = env.path(name)
    with open(path, "w") as f:
        subprocess.run([env.bench_gen, "--count", str(count), "--period", period, "--seed", str(seed), "--vendor", "acme-ai",
                        "--prefix", prefix], stdout=f, check=True)
    return path


def status(ledger):
    r = env.run(ledger, "status", "--json")
    return json.loads(r.stdout) if r.returncode == 0 else None


def verify(ledger, what):
    r = env.run(ledger, "verify", "--json")
    out = json.loads(r.stdout) if r.stdout.strip() else {}
    check(r.returncode == 0 and out.get("ok"), f"{what}: verify: exit {r.returncode}: {r.stdout.strip()} {r.stderr.strip()}")
    return out


def records_and_statements(ledger):
    s = status(ledger)
    if not s:
        return 0, 0
    return s.get("records", 0), sum(len(c.get("settled", [])) for c in s.get("contracts", []))


try:
    if mode == "writers":
        pg = new_db("w")
        files = [gen(f"w{i}.csv", 20000, "2026-10", f"W{i}", 10 + i) for i in range(4)]
        shared = gen("shared.csv", 5000, "2026-10", "S", 99)
        env.ok(pg, "register", contract)
        procs = []
        for f in files:
            procs.append(subprocess.Popen([env.reckon, "--ledger", pg, "ingest", f, shared], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
        outs = [p.communicate() for p in procs]
        for p, (out, err) in zip(procs, outs):
            check(p.returncode == 0, f"writer exit {p.returncode}: {err.strip()}")
        out = verify(pg, "four writers")
        recs, _ = records_and_statements(pg)
        check(recs == 4 * 20000 + 5000, f"four writers: {recs} records stored, expected {4 * 20000 + 5000}")
        check(out.get("entries") == 1 + 4 * 20000 + 5000, f"four writers: {out.get('entries')} entries")
        # Exactly one writer stored the shared file; the others saw duplicates.
        dups = sum(int(o.split(" duplicates")[0].rsplit(", ", 1)[-1]) for o, _ in outs if " duplicates" in o)
        check(dups == 3 * 5000, f"four writers: {dups} duplicates reported, expected {3 * 5000}")
        # The chain the writers made, replayed into a SQLite file in its order, gives the same head.
        copy = env.path("writers.db")
        r = subprocess.run([env.reckon, "ledger", "copy", pg, copy], capture_output=True, text=True)
        check(r.returncode == 0, f"copy: {r.stderr.strip()}")
        v = subprocess.run([sys.executable, env.verifier, "--json", copy], capture_output=True, text=True)
        check(v.returncode == 0 and json.loads(v.stdout)["head"]["seq"] == out["head"]["seq"], f"python verifier: {v.stdout} {v.stderr}")
        # A writer that waits longer than RECKON_BUSY_TIMEOUT_MS gives up, writing nothing (exit 4):
        # the lock is held by an open transaction in psql meanwhile.
        holder = subprocess.Popen(["psql", "-X", "-q", pg], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        holder.stdin.write("BEGIN; SELECT pg_advisory_xact_lock(1380141902, hashtext(current_schema())); SELECT pg_sleep(30);\n")
        holder.stdin.flush()
        time.sleep(1.0)
        before = status(pg)["head"]
        r = env.run(pg, "ingest", gen("late.csv", 10, "2026-10", "L", 5), env=dict(os.environ, RECKON_BUSY_TIMEOUT_MS="500"))
        check(r.returncode == 4 and "is busy" in r.stderr, f"busy writer: exit {r.returncode}: {r.stderr.strip()}")
        holder.kill()
        holder.communicate()
        check(status(pg)["head"] == before, "busy writer: the head moved")

    elif mode == "kill9":
        seed = int(os.environ.get("RECKON_KILL_SEED", random.SystemRandom().randrange(1, 10**9)))
        kills = int(os.environ.get("RECKON_KILLS", "8"))
        print(f"seed {seed} (replay with RECKON_KILL_SEED={seed}), {kills} kills", flush=True)
        rng = random.Random(seed)
        before = gen("before.csv", 1000, "2026-10", "B", 1)
        big = gen("big.csv", 100000, "2026-11", "K", 2)
        # The uninterrupted run, in SQLite: the head every interrupted PostgreSQL run must reach.
        ref = env.path("ref.db")
        env.ok(ref, "register", contract)
        env.ok(ref, "ingest", before)
        t0 = time.monotonic()
        env.ok(ref, "ingest", big)
        length = max(0.5, (time.monotonic() - t0) * 3)  # PostgreSQL ingest is slower: spread kills wider
        env.ok(ref, "settle", "--contract", "acme-support", "--period", "2026-10")
        env.ok(ref, "settle", "--contract", "acme-support", "--period", "2026-11")
        want = status(ref)["head"]
        for k in range(kills):
            pg = new_db(f"k{k}")
            env.ok(pg, "register", contract)
            env.ok(pg, "ingest", before)
            base = status(pg)["head"]
            cmds = [[env.reckon, "--ledger", pg, "ingest", big],
                    [env.reckon, "--ledger", pg, "settle", "--contract", "acme-support", "--period", "2026-10"],
                    [env.reckon, "--ledger", pg, "settle", "--contract", "acme-support", "--period", "2026-11"]]
            delay = rng.uniform(0, length * 1.2)
            deadline = time.monotonic() + delay
            killed = len(cmds)
            for i, cmd in enumerate(cmds):
                p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                try:
                    _, err = p.communicate(timeout=max(0.0, deadline - time.monotonic()))
                    check(p.returncode == 0, f"kill {k}: {' '.join(cmd[3:])}: exit {p.returncode}: {err.decode().strip()}")
                except subprocess.TimeoutExpired:
                    p.send_signal(signal.SIGKILL)
                    p.communicate()
                    killed = i
                    break
            time.sleep(0.2)  # the server notices the dead client and rolls back
            verify(pg, f"kill {k} after {delay:.2f} s (command {killed})")
            recs, stmts = records_and_statements(pg)
            check(recs in (1000, 101000), f"kill {k}: {recs} records: the ingest is neither whole nor absent")
            check(stmts in (0, 1, 2), f"kill {k}: {stmts} statements")
            # Re-running completes the work exactly once, at the uninterrupted head.
            for cmd in cmds:
                r = subprocess.run(cmd, capture_output=True, text=True)
                check(r.returncode == 0, f"kill {k}: re-run {' '.join(cmd[3:])}: {r.stderr.strip()}")
            check(status(pg)["head"] == want, f"kill {k}: head {status(pg)['head']} after re-running, want {want}")
            check(base["seq"] < want["seq"], "kill: nothing to do")
            psql(f'DROP DATABASE IF EXISTS "{databases.pop()}" WITH (FORCE)')

    elif mode == "copy":
        lite = env.path("src.db")
        env.ok(lite, "register", contract)
        env.ok(lite, "ingest", os.path.join(env.root, "examples/acme-support/records-2026-10.csv"))
        env.ok(lite, "settle", "--contract", "acme-support", "--period", "2026-10")
        env.ok(lite, "ingest", os.path.join(env.root, "examples/acme-support/records-2026-11.csv"),
               os.path.join(env.root, "examples/acme-support/late-2026-10.csv"))
        env.ok(lite, "settle", "--contract", "acme-support", "--period", "2026-11")
        want = status(lite)["head"]
        pg = new_db("c")
        r = subprocess.run([env.reckon, "ledger", "copy", lite, pg], capture_output=True, text=True)
        check(r.returncode == 0 and want["hash"] in r.stdout, f"SQLite -> PostgreSQL: {r.stdout} {r.stderr}")
        check(status(pg)["head"] == want, "SQLite -> PostgreSQL: another head")
        verify(pg, "copy in PostgreSQL")
        # The statements read back the same from PostgreSQL.
        a = env.ok(lite, "show", "--contract", "acme-support", "--period", "2026-11", "--json").stdout
        b = env.ok(pg, "show", "--contract", "acme-support", "--period", "2026-11", "--json").stdout
        check(json.loads(a)["totals"] == json.loads(b)["totals"], "show: other totals from PostgreSQL")
        back = env.path("back.db")
        r = subprocess.run([env.reckon, "ledger", "copy", pg, back], capture_output=True, text=True)
        check(r.returncode == 0, f"PostgreSQL -> SQLite: {r.stderr}")
        v = subprocess.run([sys.executable, env.verifier, "--json", "--expect-head", f"{want['seq']}:{want['hash']}", back],
                           capture_output=True, text=True)
        check(v.returncode == 0 and json.loads(v.stdout)["ok"], f"python verifier on the SQLite copy: {v.stdout} {v.stderr}")
        # Into a ledger that has entries: refused, nothing written (either way).
        for dst in (pg, back):
            before = status(dst)["head"]
            r = subprocess.run([env.reckon, "ledger", "copy", lite, dst], capture_output=True, text=True)
            check(r.returncode == 4 and "is not empty" in r.stderr, f"copy into a non-empty {dst}: exit {r.returncode}: {r.stderr}")
            check(status(dst)["head"] == before, f"copy into a non-empty {dst}: the head moved")
        # A source with a changed entry stops the copy, naming it, and leaves no file.
        tampered = env.path("tampered.db")
        subprocess.run([env.reckon, "ledger", "copy", lite, tampered], check=True, capture_output=True)
        tamper(tampered, "UPDATE entries SET payload = CAST(replace(CAST(payload AS TEXT), '\"revision\":0', '\"revision\":7') AS BLOB) WHERE seq = 5")
        pg2 = new_db("t")
        r = subprocess.run([env.reckon, "ledger", "copy", tampered, pg2], capture_output=True, text=True)
        check(r.returncode == 3 and "entry 5" in r.stderr, f"copy of a tampered ledger: exit {r.returncode}: {r.stderr}")
        r = env.run(pg2, "status")
        check(r.returncode != 0 or '"seq": 0' in r.stdout or "0 entries" in r.stdout, f"tampered copy left entries: {r.stdout}")
    else:
        sys.exit(f"unknown mode {mode}")
finally:
    for name in databases:
        try:
            psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        except subprocess.CalledProcessError:
            pass
finish()
