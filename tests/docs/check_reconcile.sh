#!/usr/bin/env bash
# Keeps docs/reconcile.md's worked example true: every ```console block between
# the markers <!-- example:start --> and <!-- example:end --> is a transcript:
# lines starting with "$ " are commands (run with bash in one temporary
# directory holding the files of tests/golden/reconcile-every-class, `reckon`
# being the binary under test), the lines after each command are its expected
# stdout and stderr, where <sha256> stands for any 64-hex-digit hash. The exit
# status of each command must be the one written as "# exit N" at the end of
# the command line (0 when absent).
# Usage: check_reconcile.sh RECKON_BINARY SOURCE_DIR
set -uo pipefail
bin=$(realpath "$1"); src=$(realpath "$2")
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cp "$src"/tests/golden/reconcile-every-class/* "$work"/
export RECKON_BIN="$bin"
reckon() { "$RECKON_BIN" "$@"; }
export -f reckon
unset RECKON_LEDGER
python3 - "$src/docs/reconcile.md" "$work" <<'PY'
import re, subprocess, sys
doc, work = sys.argv[1], sys.argv[2]
text = open(doc, encoding="utf-8").read()
m = re.search(r"<!-- example:start -->(.*?)<!-- example:end -->", text, re.S)
if not m:
    sys.exit("FAIL: docs/reconcile.md has no example markers")
steps = []
for block in re.findall(r"```console\n(.*?)```", m.group(1), re.S):
    for line in block.splitlines():
        if line.startswith("$ "):
            steps.append([line[2:], []])
        elif steps:
            steps[-1][1].append(line)
fails = 0
for cmd, want in steps:
    code = 0
    mm = re.search(r"\s+# exit (\d+)$", cmd)
    if mm:
        code, cmd = int(mm.group(1)), cmd[:mm.start()]
    p = subprocess.run(["bash", "-c", cmd], cwd=work, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    got = re.sub(r"(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])", "<sha256>", p.stdout.decode("utf-8", "replace")).splitlines()
    if got != want or p.returncode != code:
        fails += 1
        print(f"FAIL: $ {cmd} (exit {p.returncode}, documented {code})")
        for line in got: print(f"  got: {line}")
        for line in want: print(f" want: {line}")
    else:
        print(f"ok   $ {cmd}")
if not steps:
    sys.exit("FAIL: no commands in the example")
sys.exit(1 if fails else 0)
PY
