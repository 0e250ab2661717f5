#!/usr/bin/env bash
# Runs one golden case: tests/golden/CASE/{cmd,expected,...}.
#
# Every file of the case folder is copied to a fresh temporary directory;
# each line of `cmd` (blank lines and # comments skipped) runs there with
# `reckon` meaning the binary under test and $RECKON_SOURCE the repository
# root (for cases that use contracts/ or examples/); the transcript -- "$ line", the
# command's stdout and stderr, "[exit N]" -- must equal `expected` byte for
# byte. UPDATE_GOLDEN=1 rewrites `expected` instead (review the diff!).
#
# Time is an input: every line runs with RECKON_NOW=2030-01-01T00:00:00Z (after every
# example period) unless the line sets its own (`RECKON_NOW=... reckon settle ...`).
#
# Hashes are incidental to most cases: every 64-hex-digit SHA-256 in the transcript is
# written <sha256>, so a case pins meaning (sequence numbers, amounts, messages), not bytes.
# A case about hashing itself (determinism of payloads, bundle manifests) keeps them by
# holding a file `keep-hashes` that says why.
set -uo pipefail
bin=$(realpath "$1"); case_dir=$(realpath "$2")
export RECKON_SOURCE="$(cd "$(dirname "$0")/../.." && pwd)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$case_dir"/. "$work"/
cd "$work"
export RECKON_BIN="$bin"
reckon() { "$RECKON_BIN" "$@"; }
export -f reckon
unset RECKON_LEDGER
# Time is an input: "now" is fixed unless a command line sets its own RECKON_NOW.
export RECKON_NOW="${RECKON_GOLDEN_NOW:-2030-01-01T00:00:00Z}"
actual="$work/.actual"
: > "$actual"
while IFS= read -r line || [ -n "$line" ]; do
  [[ -z "$line" || "$line" == \#* ]] && continue
  printf '$ %s\n' "$line" >> "$actual"
  bash -c "$line" >> "$actual" 2>&1 < /dev/null
  printf '[exit %d]\n' "$?" >> "$actual"
done < "$case_dir/cmd"
if [ ! -f "$case_dir/keep-hashes" ]; then
  sed -E 's/(^|[^0-9a-f])[0-9a-f]{64}([^0-9a-f]|$)/\1<sha256>\2/g; s/(^|[^0-9a-f])[0-9a-f]{64}([^0-9a-f]|$)/\1<sha256>\2/g' "$actual" > "$actual.masked"
  mv "$actual.masked" "$actual"
fi
if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
  cp "$actual" "$case_dir/expected"
  echo "updated $case_dir/expected"
  exit 0
fi
if ! diff -u "$case_dir/expected" "$actual"; then
  echo "golden case $(basename "$case_dir") differs (UPDATE_GOLDEN=1 to accept)" >&2
  exit 1
fi
