#!/usr/bin/env python3
"""I/O failures: a ledger that cannot grow (RLIMIT_FSIZE, as `ulimit -f` sets it: writes past
the limit fail with EFBIG, like a full file system) and a read-only ledger file. `reckon ingest`
and `reckon settle` must fail cleanly -- nonzero exit, no crash, a message naming the ledger --
or succeed wholly; the ledger stays intact (verifies, content as before) and the same command
succeeds once the limit is lifted. With SIGXFSZ left at its default (the process is killed at
the failing write) the ledger must survive as after a kill -9.

    io_failure.py RECKON REPO_ROOT WORK_DIR BENCH_GEN
"""
import os, resource, signal, stat, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Env, check, copy_ledger, finish

env = Env()
N = 20000
big = env.path("big.csv")
with open(big, "w") as f:
    subprocess.run([env.bench_gen, "--count", str(N), "--period", "2026-10", "--seed", "5", "--vendor", "acme-ai"],
                   stdout=f, check=True)
base = env.path("base.db")
env.ok(base, "ingest", os.path.join(env.root, "examples/acme-itops/records-2026-10.csv"))
env.ok(base, "ingest", big)
size = os.path.getsize(base)
small = env.path("small.db")
env.ok(small, "ingest", os.path.join(env.root, "examples/acme-itops/records-2026-10.csv"))
more = env.path("more.csv")
with open(more, "w") as f:
    subprocess.run([env.bench_gen, "--count", str(N), "--period", "2026-10", "--seed", "6", "--vendor", "acme-ai",
                    "--prefix", "M"], stdout=f, check=True)
support = os.path.join(env.root, "contracts/acme-support.yaml")


def limited(limit, ignore_xfsz=True):
    def setup():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        if ignore_xfsz:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    return setup


def attempt(label, src, args, grown, limit, ignore_xfsz=True):
    """Runs reckon ARGS on a copy of src under the limit and checks all-or-nothing."""
    t = env.path("t.db")
    copy_ledger(src, t)
    before = env.counts(t)
    r = env.run(t, *args, preexec_fn=limited(limit, ignore_xfsz))
    after = env.counts(t)
    (crc, cj, cerr), (prc, pj, perr) = env.verify(t)
    outcome = "ok" if r.returncode == 0 else f"exit {r.returncode}"
    print(f"{label}, limit {limit} bytes: {outcome}: {r.stderr.strip()[:160]}", flush=True)
    check(crc == 0 and prc == 0, f"{label}: ledger damaged: {cj} {cerr.strip()} / {pj}")
    if ignore_xfsz:
        check(r.returncode >= 0, f"{label}: reckon crashed (signal {-r.returncode})")
        if r.returncode == 0:
            check(after == grown(before), f"{label}: exit 0 but {after}, want {grown(before)}")
        else:
            check(r.returncode == 1, f"{label}: exit {r.returncode}, want 1 (an I/O error, not an integrity failure)")
            check(t in r.stderr, f"{label}: the message does not name the ledger: {r.stderr!r}")
            check(after == before, f"{label}: failed but wrote something: {before} -> {after}")
    else:
        check(after in (before, grown(before)), f"{label}: neither absent nor present: {before} -> {after}")
    # The same command without the limit completes the work.
    r = env.run(t, *args)
    check(r.returncode == 0 and env.counts(t) == grown(before), f"{label}: retry without the limit: {r.stderr.strip()}")
    env.verify_ok(t, f"{label} (retried)")
    return r


ingest_grown = lambda c: (c[0] + N, c[1])
for limit in (0, 4096, os.path.getsize(small) + 65536, 1 << 20, 4 << 20):
    attempt(f"ingest of {N} rows", small, ["ingest", more], ingest_grown, limit)
attempt(f"ingest of {N} rows, SIGXFSZ not ignored", small, ["ingest", more], ingest_grown, 1 << 20, ignore_xfsz=False)
settle_grown = lambda c: (c[0], c[1] + 1)
for limit in (0, 16384, 40000):
    attempt("settle", base, ["settle", "--contract", support, "--period", "2026-10"], settle_grown, limit)

# A new ledger that cannot be created: a clean error; what is left behind (an empty file when
# SQLite could not even set it up) must not stand in the way of the next run.
for limit in (0, 8192, 1 << 20):
    fresh = env.path("fresh.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(fresh + suffix):
            os.remove(fresh + suffix)
    r = env.run(fresh, "ingest", more, preexec_fn=limited(limit))
    print(f"new ledger, limit {limit}: exit {r.returncode}: {r.stderr.strip()[:160]}")
    check(r.returncode in (1, 4) and fresh in r.stderr, f"new ledger under the limit: exit {r.returncode} {r.stderr!r}")
    check("not a Reckon ledger" not in r.stderr, f"new ledger under the limit: an I/O error reported as integrity: {r.stderr!r}")
    r = env.run(fresh, "ingest", more)
    check(r.returncode == 0 and env.counts(fresh)[0] == N, f"new ledger: the run without the limit: {r.stderr!r}")
    env.verify_ok(fresh, "new ledger, run without the limit")

# A read-only ledger file. root ignores file modes, so as root this needs `chattr +i`.
ro = env.path("ro.db")
copy_ledger(small, ro)
before = env.counts(ro)
os.chmod(ro, stat.S_IRUSR | stat.S_IRGRP)
immutable = False
if os.geteuid() == 0:
    immutable = subprocess.run(["chattr", "+i", ro], capture_output=True).returncode == 0
if os.geteuid() != 0 or immutable:
    r = env.run(ro, "ingest", more)
    print(f"read-only ledger: exit {r.returncode}: {r.stderr.strip()[:160]}")
    check(r.returncode in (1, 4) and ro in r.stderr, f"read-only ledger: exit {r.returncode} {r.stderr!r}")
    check(env.counts(ro) == before, "read-only ledger: something was written")
    r = env.run(ro, "verify")
    check(r.returncode == 0, f"read-only ledger: verify: {r.stderr!r}")
    if immutable:
        subprocess.run(["chattr", "-i", ro])
else:
    print("SKIP read-only ledger: running as root, and chattr +i is not supported here "
          "(root writes to a read-only file); the RLIMIT_FSIZE cases above cover write failures")
finish()
