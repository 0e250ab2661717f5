#!/usr/bin/env python3
"""Concurrent writers (docs/ledger-format.md): 2 and 4 `reckon ingest` processes into one ledger (also
into a ledger none of them finds existing), and ingests mixed with `reckon settle`, all exit 0,
nothing is lost, one chain verifies (reckon and verify_ledger.py), no "database is locked".
Then the bounded wait: with the write lock held by another connection (Python sqlite3,
BEGIN IMMEDIATE), `reckon ingest` under RECKON_BUSY_TIMEOUT_MS=700 gives up after about that
long with exit 4 and a message naming the ledger, and writes nothing.

    concurrency.py RECKON REPO_ROOT WORK_DIR BENCH_GEN
"""
import json, os, sqlite3, subprocess, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Env, check, finish

env = Env()
ROWS = 10000
files = []
for i in range(4):
    path = env.path(f"w{i}.csv")
    with open(path, "w") as f:
        subprocess.run([env.bench_gen, "--count", str(ROWS), "--period", "2026-10", "--seed", str(10 + i),
                        "--vendor", "acme-ai", "--prefix", f"W{i}"], stdout=f, check=True)
    files.append(path)


def together(commands):
    """Starts all commands at once; returns [(rc, stderr)]."""
    procs = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for c in commands]
    return [(p.wait(), p.communicate()[1]) for p in procs]


def check_ledger(ledger, label, records, statements=0):
    n, st = env.counts(ledger)
    check(n == records, f"{label}: {n} records, want {records}")
    check(st == statements, f"{label}: {st} statements, want {statements}")
    (crc, cj, cerr), (prc, pj, perr) = env.verify(ledger)
    check(crc == 0 and prc == 0 and cj == pj, f"{label}: verify: {cj} {cerr} / {pj} {perr}")
    # One chain, no fork: seq 1..N with each prev_hash the previous hash (verify checks it too).
    db = sqlite3.connect(ledger)
    seqs = [s for (s,) in db.execute("SELECT seq FROM entries ORDER BY seq")]
    links = db.execute("SELECT count(*) FROM entries e JOIN entries p ON p.seq = e.seq - 1 WHERE e.prev_hash = p.hash").fetchone()[0]
    db.close()
    check(seqs == list(range(1, len(seqs) + 1)) and links == len(seqs) - 1, f"{label}: the chain is not one line")


for writers in (2, 4, 4):
    for fresh in (True, False):
        label = f"{writers} concurrent ingests into {'a new' if fresh else 'an existing'} ledger"
        ledger = env.path(f"c{writers}{fresh}.db")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(ledger + suffix):
                os.remove(ledger + suffix)
        base = 0
        if not fresh:
            env.ok(ledger, "ingest", os.path.join(env.root, "examples/acme-itops/records-2026-10.csv"))
            base = env.counts(ledger)[0]
        t0 = time.monotonic()
        results = together([[env.reckon, "--ledger", ledger, "ingest", f] for f in files[:writers]])
        for rc, err in results:
            check(rc == 0, f"{label}: exit {rc}: {err.strip()}")
            check("locked" not in err and "busy" not in err, f"{label}: {err.strip()}")
        check_ledger(ledger, label, base + writers * ROWS)
        print(f"{label}: {time.monotonic() - t0:.2f} s, exits {[rc for rc, _ in results]}", flush=True)

# Ingests and settlements at once: acme-itops settles while acme-ai records stream in.
label = "2 ingests and 2 settles at once"
ledger = env.path("mixed.db")
env.ok(ledger, "ingest", os.path.join(env.root, "examples/acme-itops/records-2026-10.csv"),
       os.path.join(env.root, "examples/acme-itops/records-2026-11.csv"))
base = env.counts(ledger)[0]
itops = os.path.join(env.root, "contracts/acme-itops.yaml")
results = together([[env.reckon, "--ledger", ledger, "ingest", files[0]],
                    [env.reckon, "--ledger", ledger, "settle", "--contract", itops, "--period", "2026-10"],
                    [env.reckon, "--ledger", ledger, "ingest", files[1]],
                    [env.reckon, "--ledger", ledger, "settle", "--contract", itops, "--period", "2026-10"]])
for rc, err in results:
    check(rc == 0, f"{label}: exit {rc}: {err.strip()}")
check_ledger(ledger, label, base + 2 * ROWS, statements=1)
print(f"{label}: exits {[rc for rc, _ in results]}")

# A first ingest that fails (an invalid row at the end) removes the ledger it created -- but
# never one that another process, started just after it, is writing to: that process either
# writes all its records or is told the ledger went away and writes nothing; it is never told
# "accepted" for records that are lost with a removed file.
bad = env.path("bad.csv")
with open(files[2]) as f, open(bad, "w") as out:
    out.write(f.read() + "BAD-1,acme-ai,not-a-date,true,resolved,chat,1,5\n")
for delay in (0.0, 0.02, 0.05, 0.1, 0.2):
    label = f"failing first ingest, valid one {delay} s later"
    ledger = env.path("race.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(ledger + suffix):
            os.remove(ledger + suffix)
    p_bad = subprocess.Popen([env.reckon, "--ledger", ledger, "ingest", bad], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(delay)
    r = env.run(ledger, "ingest", files[0])
    p_bad.communicate()
    check(p_bad.returncode == 1, f"{label}: the invalid ingest exits {p_bad.returncode}")
    n = env.counts(ledger)[0] if os.path.exists(ledger) else 0
    if r.returncode == 0:
        check(n == ROWS, f"{label}: the valid ingest said ok but the ledger has {n} records (lost with a removed file)")
        env.verify_ok(ledger, label)
    else:
        check(r.returncode == 4 and "removed" in r.stderr and n == 0, f"{label}: exit {r.returncode}: {r.stderr!r}, {n} records")
    print(f"{label}: valid ingest exit {r.returncode}, {n} records in the ledger", flush=True)

# The bounded wait, with the lock held by someone else.
label = "ingest while another connection holds the write lock"
ledger = env.path("busy.db")
env.ok(ledger, "ingest", os.path.join(env.root, "examples/acme-itops/records-2026-10.csv"))
before = env.counts(ledger)
head = json.loads(env.ok(ledger, "status", "--json").stdout)["head"]
holder = sqlite3.connect(ledger, isolation_level=None)
holder.execute("BEGIN IMMEDIATE")
t0 = time.monotonic()
r = env.run(ledger, "ingest", files[0], env=dict(os.environ, RECKON_BUSY_TIMEOUT_MS="700"))
waited = time.monotonic() - t0
holder.execute("ROLLBACK")
holder.close()
print(f"{label}: exit {r.returncode} after {waited:.2f} s: {r.stderr.strip()}")
check(r.returncode == 4, f"{label}: exit {r.returncode}, want 4")
check(ledger in r.stderr and "busy" in r.stderr and "700 ms" in r.stderr, f"{label}: message {r.stderr!r}")
check("database is locked" not in r.stderr, f"{label}: SQLite's message leaks: {r.stderr!r}")
check(0.6 <= waited < 10, f"{label}: waited {waited:.2f} s for a 0.7 s limit")
check(env.counts(ledger) == before, f"{label}: something was written")
check(json.loads(env.ok(ledger, "status", "--json").stdout)["head"] == head, f"{label}: the head moved")
env.verify_ok(ledger, label)
# A settle is refused the same way.
holder = sqlite3.connect(ledger, isolation_level=None)
holder.execute("BEGIN IMMEDIATE")
r = env.run(ledger, "settle", "--contract", os.path.join(env.root, "contracts/acme-itops.yaml"), "--period", "2026-10",
            env=dict(os.environ, RECKON_BUSY_TIMEOUT_MS="300"))
holder.execute("ROLLBACK")
holder.close()
check(r.returncode == 4 and ledger in r.stderr, f"settle while locked: exit {r.returncode}: {r.stderr!r}")
check(env.counts(ledger) == before, "settle while locked: something was written")
# The variable is checked.
for bad in ("0", "-5", "abc", "99999999999"):
    r = env.run(ledger, "status", env=dict(os.environ, RECKON_BUSY_TIMEOUT_MS=bad))
    check(r.returncode == 2 and "RECKON_BUSY_TIMEOUT_MS" in r.stderr, f"RECKON_BUSY_TIMEOUT_MS={bad}: exit {r.returncode} {r.stderr!r}")
finish()
