#!/usr/bin/env bash
# statement.html renders: headless Chromium (Debian's `chromium`, installed by `make deps`)
# screenshots the demo month's page and png_check.py requires a real page (many non-white
# pixels, several colours, not one flat colour). Chromium's --dump-dom must show the page opening
# with the net payable (grouped thousands), the guarantees with their status (October 2026: the resolution-rate
# guarantee "breached" against its threshold as written, "67%", the bonus "not met"), and the verification.
# Fails when chromium is missing: no skip.
# Usage: screenshot_test.sh RECKON_BINARY SOURCE_DIR [PNG_OUT]  (PNG_OUT: keep the screenshot there)
set -euo pipefail
bin=$(realpath "$1"); src=$(realpath "$2"); keep=${3:+$(realpath -m "$3")}
command -v chromium > /dev/null || { echo "FAIL: chromium is not installed (make deps installs it)" >&2; exit 1; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
"$bin" ingest --ledger l.db "$src/examples/acme-support/records-2026-10.csv" > /dev/null
RECKON_NOW=2027-01-05T00:00:00Z "$bin" settle --ledger l.db --contract "$src/contracts/acme-support.yaml" --period 2026-10 > /dev/null
"$bin" export --ledger l.db --contract acme-support --period 2026-10 --out bundle > /dev/null
# Self-contained: no external resources, no scripts.
if grep -Eiq '<script|<link|src=|url\(|@import|https?://' bundle/statement.html; then
  echo "FAIL: statement.html refers to external resources or has scripts" >&2; exit 1
fi
# Chromium writes to $HOME; keep it inside the work directory.
HOME="$work" timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --hide-scrollbars \
  --user-data-dir="$work/profile" --screenshot="$work/out.png" --window-size=1200,1800 "file://$work/bundle/statement.html" \
  > chromium.log 2>&1 || { cat chromium.log >&2; echo "FAIL: chromium failed" >&2; exit 1; }
[ -s out.png ] || { cat chromium.log >&2; echo "FAIL: no screenshot" >&2; exit 1; }
python3 "$src/tests/export/png_check.py" out.png
[ -z "$keep" ] || cp out.png "$keep"
HOME="$work" timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
  --user-data-dir="$work/profile" --dump-dom "file://$work/bundle/statement.html" > dom.html 2> chromium.log \
  || { cat chromium.log >&2; echo "FAIL: chromium --dump-dom failed" >&2; exit 1; }
python3 - dom.html <<'PY'
import html, re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
body = dom[dom.index("<body"):]
text = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))).strip()
def need(cond, what):
    if not cond:
        sys.exit(f"FAIL: statement.html DOM: {what}\n{text[:600]}")
need(text.startswith("Net payable USD "), "does not open with the net payable")
first_h2 = text.find("Guarantees and SLAs")
net = re.match(r"Net payable USD ([0-9,]+\.[0-9]{2}) ", text)
need(net and "," in net.group(1), "net payable without thousands separators")
need(0 <= text.find("fees") < first_h2 and 0 <= text.find("true-up") < first_h2, "totals not right under the net payable")
row = re.search(r"Guaranteed resolution rate penalty credit when resolution_rate < 67% resolution_rate = [0-9.]+ \((≈ )?[0-9.]+%\) breached ", text)
need(row, "the resolution-rate guarantee is not shown as target (67% as written) against actual with a status")
need(re.search(r"CSAT floor penalty credit when avg_csat < 3.2 avg_csat = [0-9.]+ breached ", text), "CSAT floor row")
need(re.search(r"Containment bonus reward reward when resolution_rate >= 80% resolution_rate = [0-9.]+ \((≈ )?[0-9.]+%\) not met ", text),
     "containment bonus row")
need(first_h2 < text.find("Statement lines") < text.find("Verification") and "Chain verified:" in text, "sections out of order")
print("dom ok:", net.group(0), "|", row.group(0))
PY
