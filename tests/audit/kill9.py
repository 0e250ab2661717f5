#!/usr/bin/env python3
"""Durability (docs/ledger-format.md): `kill -9` at random points of `reckon ingest` (mode `ingest`) or
of a sequence of `reckon settle` runs (mode `settle`) leaves a ledger that verifies, with each
command wholly present or wholly absent; re-running completes the work exactly once, ending at
the same head (same entries, same hashes) and the same statements as an uninterrupted run.

    kill9.py RECKON REPO_ROOT WORK_DIR BENCH_GEN ingest|settle
Kill points are random delays spread over the measured length of an uninterrupted run;
RECKON_KILL_SEED=N replays a run (the seed is printed first). RECKON_KILLS=N sets the count.
"""
import json, os, random, signal, sqlite3, subprocess, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Env, check, copy_ledger, finish

env = Env()
mode = sys.argv[5]
seed = int(os.environ.get("RECKON_KILL_SEED", random.SystemRandom().randrange(1, 10**9)))
kills = int(os.environ.get("RECKON_KILLS", "24"))
print(f"seed {seed} (replay with RECKON_KILL_SEED={seed}), {kills} kills", flush=True)
rng = random.Random(seed)
contract = os.path.join(env.root, "contracts/acme-support.yaml")


def gen(name, count, period, prefix, seed_):
    path = env.path(name)
    with open(path, "w") as f:
        subprocess.run([env.bench_gen, "--count", str(count), "--period", period, "--seed", str(seed_),
                        "--vendor", "acme-ai", "--prefix", prefix], stdout=f, check=True)
    return path


def head(ledger):
    r = env.run(ledger, "status", "--json")
    return json.loads(r.stdout)["head"] if r.returncode == 0 else None


def count_or_absent(ledger):
    """(records, statements), or (0, 0) for a ledger whose creation was cut short."""
    if not os.path.exists(ledger):
        return 0, 0
    db = sqlite3.connect(ledger)
    try:
        if db.execute("SELECT count(*) FROM sqlite_schema WHERE name = 'records'").fetchone()[0] == 0:
            return 0, 0
    finally:
        db.close()
    return env.counts(ledger)


def verify_after_kill(ledger, label):
    """reckon verify passes; a ledger whose creation was killed may also be missing or empty."""
    r = env.run(ledger, "verify")
    if r.returncode != 0 and count_or_absent(ledger) == (0, 0) and ("empty" in r.stderr or "does not exist" in r.stderr):
        return
    check(r.returncode == 0, f"{label}: verify after kill: exit {r.returncode}: {r.stderr.strip()}")


def run_killed(commands, delay):
    """Runs the commands in order and SIGKILLs whichever runs at `delay` seconds. Returns the
    index of the command killed (len(commands) if all finished)."""
    deadline = time.monotonic() + delay
    for i, cmd in enumerate(commands):
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            _, err = p.communicate(timeout=max(0.0, deadline - time.monotonic()))
            if p.returncode != 0:
                check(False, f"{' '.join(cmd[3:])}: exit {p.returncode}: {err.decode().strip()}")
        except subprocess.TimeoutExpired:
            p.send_signal(signal.SIGKILL)
            p.communicate()
            return i
    return len(commands)


t_start = time.monotonic()
if mode == "ingest":
    base = env.path("base.db")
    env.ok(base, "ingest", gen("before.csv", 1000, "2026-09", "B", 1))
    big = gen("big.csv", 200000, "2026-10", "K", 2)
    n_before, _ = env.counts(base)
    ref = env.path("ref.db")
    copy_ledger(base, ref)
    t0 = time.monotonic()
    env.ok(ref, "ingest", big)
    length = time.monotonic() - t0
    ref_head, (ref_count, _) = head(ref), env.counts(ref)
    print(f"uninterrupted ingest of 200000 rows: {length:.2f} s; records {n_before} -> {ref_count}", flush=True)
    t = env.path("t.db")
    hits = {"absent": 0, "present": 0}
    for k in range(kills):
        fresh = k % 6 == 5  # every sixth run creates the ledger: kill it while the schema is being made
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(t + suffix):
                os.remove(t + suffix)
        if not fresh:
            copy_ledger(base, t)
        before = 0 if fresh else n_before
        after = ref_count - n_before + before
        delay = rng.uniform(0, 0.05) if fresh else rng.uniform(0, length * 1.1)
        label = f"kill {k + 1} at {delay:.3f} s{' (new ledger)' if fresh else ''}"
        run_killed([[env.reckon, "--ledger", t, "ingest", big]], delay)
        verify_after_kill(t, label)
        n, _ = count_or_absent(t)
        check(n in (before, after), f"{label}: {n} records: neither {before} (absent) nor {after} (present)")
        hits["absent" if n == before else "present"] += 1
        r = env.run(t, "ingest", big, "--json")
        check(r.returncode == 0, f"{label}: re-run failed: {r.stderr.strip()}")
        n2, _ = env.counts(t)
        check(n2 == after, f"{label}: after the re-run {n2} records, want {after}")
        if not fresh:
            check(head(t) == ref_head, f"{label}: head {head(t)} differs from the uninterrupted run's {ref_head}")
        print(f"{label}: {'absent' if n == before else 'present'} after the kill; re-run ok", flush=True)
    print(f"ingest wholly absent {hits['absent']} times, wholly present {hits['present']} times")
else:
    base = env.path("base.db")
    periods = ["2026-10", "2026-11", "2026-12"]
    files = [gen(f"r{p}.csv", 70000, p, "S" + p[-2:], 3 + i) for i, p in enumerate(periods)]
    env.ok(base, "ingest", *files)
    settles = lambda ledger: [[env.reckon, "--ledger", ledger, "settle", "--contract", contract, "--period", p]
                              for p in periods]
    ref = env.path("ref.db")
    copy_ledger(base, ref)
    t0 = time.monotonic()
    check(run_killed(settles(ref), 3600) == 3, "uninterrupted settles")
    length = time.monotonic() - t0
    shows = lambda ledger: [env.run(ledger, "show", "--contract", "acme-support", "--period", p, "--json").stdout
                            for p in periods]
    ref_head, ref_shows = head(ref), shows(ref)
    print(f"uninterrupted settlement of {periods} over 210000 records: {length:.2f} s", flush=True)
    t = env.path("t.db")
    for k in range(kills):
        copy_ledger(base, t)
        delay = rng.uniform(0, length * 0.9)
        label = f"kill {k + 1} at {delay:.3f} s"
        killed = run_killed(settles(t), delay)
        verify_after_kill(t, label)
        _, st = env.counts(t)
        check(st in (killed, killed + 1), f"{label}: settle of {periods[min(killed, 2)]} killed, {st} statements")
        for i in range(st):  # what is there is exactly what an uninterrupted run records
            got = env.run(t, "show", "--contract", "acme-support", "--period", periods[i], "--json").stdout
            check(got == ref_shows[i], f"{label}: statement {periods[i]} differs from the uninterrupted run's")
        check(run_killed(settles(t), 3600) == 3, f"{label}: re-run")
        check(env.counts(t)[1] == 3 and head(t) == ref_head and shows(t) == ref_shows,
              f"{label}: after the re-run the ledger differs from the uninterrupted run's")
        what = "all done" if killed == 3 else f"settle {periods[killed]} killed, {'present' if st > killed else 'absent'}"
        print(f"{label}: {what}; re-run ok", flush=True)
# The stand-alone verifier agrees on the last ledger.
(crc, cj, _), (prc, pj, perr) = env.verify(t)
check(crc == prc == 0 and cj == pj, f"verify_ledger.py on the final ledger: {pj} {perr} vs {cj}")
print(f"total {time.monotonic() - t_start:.1f} s")
finish()
