#!/usr/bin/env bash
# report.html renders: headless Chromium screenshots the demo portfolio's report and png_check.py
# requires a real page; --dump-dom must hold the key texts (title, portfolio, a contract, a guarantee
# line, money with thousands separators). Fails when chromium is missing: no skip.
# Usage: screenshot_test.sh RECKON_BINARY SOURCE_DIR [PNG_COPY]
set -euo pipefail
bin=$(realpath "$1"); src=$(realpath "$2")
command -v chromium > /dev/null || { echo "FAIL: chromium is not installed (make deps installs it)" >&2; exit 1; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
RECKON_NOW=2026-12-05T09:00:00Z bash "$src/examples/demo.sh" "$bin" "$work/demo" > demo.log 2>&1 || { cat demo.log >&2; exit 1; }
page="$work/demo/report/report.html"
chrome() { HOME="$work" timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --hide-scrollbars \
  --user-data-dir="$work/profile" "$@"; }
chrome --screenshot="$work/out.png" --window-size=1280,1600 "file://$page" > chromium.log 2>&1 \
  || { cat chromium.log >&2; echo "FAIL: chromium failed" >&2; exit 1; }
[ -s out.png ] || { cat chromium.log >&2; echo "FAIL: no screenshot" >&2; exit 1; }
python3 "$src/tests/export/png_check.py" out.png fafbfd  # the charts' plot area (.plot in the inline CSS)
chrome --dump-dom "file://$page" > dom.html 2> chromium.log || { cat chromium.log >&2; echo "FAIL: chromium --dump-dom" >&2; exit 1; }
for text in 'Portfolio report' 'Portfolio net, USD' 'Net per vendor' 'acme-support' 'acme-quarterly' 'acme-itops' \
            'Guaranteed resolution rate &lt; 67%' 'resolution_rate' 'Adjusted later' '<svg'; do
  grep -qF -- "$text" dom.html || { echo "FAIL: the rendered report lacks '$text'" >&2; exit 1; }
done
grep -qE '[0-9],[0-9]{3}\.[0-9]{2}' dom.html || { echo "FAIL: no money with thousands separators" >&2; exit 1; }
[ -z "${3:-}" ] || cp out.png "$3"
echo "ok: report.html renders"
