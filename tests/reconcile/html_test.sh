#!/usr/bin/env bash
# reconciliation.html renders in headless Chromium and says what the summary says: the case
# tests/golden/reconcile-every-class is reconciled with --out, the page must be
# self-contained (no scripts, no external resources), every value escaped (a claim id with
# markup comes back as text, not as an element), and Chromium's DOM must hold the verdict,
# the line table and every classification. Skipped (exit 77, CTest SKIP) only when chromium
# is missing and cannot be installed.
# Usage: html_test.sh RECKON_BINARY SOURCE_DIR
set -euo pipefail
bin=$(realpath "$1"); src=$(realpath "$2")
if ! command -v chromium > /dev/null; then
  if [ "$(id -u)" = 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null 2>&1 || true; fi
  command -v chromium > /dev/null || { echo "SKIP: chromium is not installed and cannot be installed"; exit 77; }
fi
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cp "$src"/tests/golden/reconcile-every-class/*.csv "$src"/tests/golden/reconcile-every-class/rc.yaml "$work"/
cd "$work"
printf '%s\n' '"<b id=""inj"">X</b>",,' >> claims.csv
"$bin" ingest records.csv void.csv > /dev/null
RECKON_NOW=2027-01-05T00:00:00Z "$bin" settle --contract rc.yaml --start 2026-10 > /dev/null
rc=0; "$bin" reconcile --contract rc --period 2026-10 claims.csv --out out > /dev/null || rc=$?
[ "$rc" = 5 ] || { echo "FAIL: reconcile exited $rc, expected 5" >&2; exit 1; }
page=out/reconciliation.html
if grep -Eiq '<script|<link|src=|url\(|@import|https?://' "$page"; then
  echo "FAIL: reconciliation.html refers to external resources or has scripts" >&2; exit 1
fi
grep -q '&lt;b id=&quot;inj&quot;&gt;X&lt;/b&gt;' "$page" || { echo "FAIL: the claim id with markup is not escaped" >&2; exit 1; }
HOME="$work" timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --user-data-dir="$work/profile" \
  --dump-dom "file://$work/$page" > dom.html 2> chromium.log || { cat chromium.log >&2; echo "FAIL: chromium failed" >&2; exit 1; }
HOME="$work" timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --hide-scrollbars --user-data-dir="$work/profile" \
  --screenshot="$work/out.png" --window-size=1200,1600 "file://$work/$page" > chromium.log 2>&1 || { cat chromium.log >&2; echo "FAIL: chromium failed" >&2; exit 1; }
python3 - dom.html <<'PY'
import sys
from html.parser import HTMLParser

class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.text, self.cells, self.bold = set(), [], [], 0
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a: self.ids.add(a["id"])
        if tag == "b": self.bold += 1
    def handle_data(self, data):
        self.text.append(data)

p = Page()
p.feed(open(sys.argv[1], encoding="utf-8").read())
text = " ".join(p.text)
fail = []
for want in ["verdict", "lines", "classes", "disputes"]:
    if want not in p.ids: fail.append(f"no element #{want}")
if "inj" in p.ids or p.bold: fail.append("the injected <b> became an element")
for want in ["The claims differ from Reckon: money at stake 6.93 USD", "Resolution fee", "12.87", "5.94", "<b id=\"inj\">X</b>"]:
    if want not in text: fail.append(f"missing text {want!r}")
for c in ["agreed", "unknown", "unverified", "excluded", "voided", "other_period", "not_billable", "duplicate_claim", "unclaimed"]:
    if c not in text: fail.append(f"missing classification {c}")
if fail:
    print("FAIL:", "; ".join(fail), file=sys.stderr); sys.exit(1)
print("reconciliation.html: ok")
PY
python3 "$src/tests/export/png_check.py" out.png fbe9e7  # the "differ" verdict box
