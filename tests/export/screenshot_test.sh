#!/usr/bin/env bash
# statement.html renders: headless Chromium (Debian's `chromium`, installed by `make deps`)
# screenshots the demo month's page and png_check.py requires a real page (many non-white
# pixels, several colours, not one flat colour). Fails when chromium is missing: no skip.
# Usage: screenshot_test.sh RECKON_BINARY SOURCE_DIR
set -euo pipefail
bin=$(realpath "$1"); src=$(realpath "$2")
command -v chromium > /dev/null || { echo "FAIL: chromium is not installed (make deps installs it)" >&2; exit 1; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
"$bin" ingest --ledger l.db "$src/examples/acme-support/records-2026-10.csv" > /dev/null
"$bin" settle --ledger l.db --contract "$src/contracts/acme-support.yaml" --period 2026-10 > /dev/null
"$bin" export --ledger l.db --contract acme-support --period 2026-10 --out bundle > /dev/null
# Self-contained: no external resources, no scripts.
if grep -Eiq '<script|<link|src=|url\(|@import|https?://' bundle/statement.html; then
  echo "FAIL: statement.html refers to external resources or has scripts" >&2; exit 1
fi
# Chromium writes to $HOME; keep it inside the work directory.
HOME="$work" timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --hide-scrollbars \
  --user-data-dir="$work/profile" --screenshot="$work/out.png" --window-size=1200,1600 "file://$work/bundle/statement.html" \
  > chromium.log 2>&1 || { cat chromium.log >&2; echo "FAIL: chromium failed" >&2; exit 1; }
[ -s out.png ] || { cat chromium.log >&2; echo "FAIL: no screenshot" >&2; exit 1; }
python3 "$src/tests/export/png_check.py" out.png
