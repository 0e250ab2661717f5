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
rm -f "$work/sqlite-only"  # the runner's marker (below), not an input of the case
cd "$work"
export RECKON_BIN="$bin"
reckon() { "$RECKON_BIN" "$@"; }
unset RECKON_LEDGER
# PostgreSQL mode (the golden-pg/CASE tests): with RECKON_GOLDEN_PG set to a server's admin
# address, every ledger a command names (--ledger NAME, $RECKON_LEDGER, or the default
# reckon.db) is a database of its own on that server, created on first use and dropped at the
# end; the transcript names each ledger as the case wrote it, so `expected` is the same file.
# A case that opens the SQLite file itself holds a file `sqlite-only` saying why, and is skipped.
if [ -n "${RECKON_GOLDEN_PG:-}" ]; then
  if [ -f "$case_dir/sqlite-only" ]; then echo "SQLite only: $(head -1 "$case_dir/sqlite-only")"; exit 77; fi
  export RECKON_PG_TAG="g$(printf '%s' "$(basename "$case_dir")" | cksum | cut -d' ' -f1)_$$"
  pg_state=$(mktemp -d)  # outside the case's directory (which a case may list)
  export RECKON_PG_MAP="$pg_state/ledgers"
  : > "$RECKON_PG_MAP"
  reckon_pg_ledger() {  # NAME -> its database's address (created on first use)
    local db url
    if [ -z "$1" ]; then return; fi  # an empty --ledger stays a usage error
    db="${RECKON_PG_TAG}_$(printf '%s' "$1" | tr -c 'a-zA-Z0-9' '_' | tr 'A-Z' 'a-z')"
    db=${db:0:63}
    url="${RECKON_GOLDEN_PG%%/postgres\?*}/$db?${RECKON_GOLDEN_PG#*\?}"
    if ! grep -qxF "$db" "$RECKON_PG_MAP.dbs" 2>/dev/null; then
      psql -X -q "$RECKON_GOLDEN_PG" -c "CREATE DATABASE \"$db\" ENCODING 'UTF8' TEMPLATE template0" >/dev/null 2>&1
      echo "$db" >> "$RECKON_PG_MAP.dbs"
      printf '%s\t%s\n' "$url" "$1" >> "$RECKON_PG_MAP"
    fi
    printf '%s' "$url"
  }
  reckon() {
    local args=() a next=0 seen=0
    # ledger copy SRC DST: both are ledgers of the case.
    if [ "${1:-}" = ledger ] && [ "${2:-}" = copy ]; then
      args=(ledger copy); shift 2
      for a in "$@"; do
        case "$a" in -*) args+=("$a") ;; *) args+=("$(reckon_pg_ledger "$a")") ;; esac
      done
      "$RECKON_BIN" "${args[@]}"
      return
    fi
    for a in "$@"; do
      if [ $next = 1 ]; then args+=("$(reckon_pg_ledger "$a")"); next=0; continue; fi
      case "$a" in
        --ledger) args+=("$a"); next=1; seen=1 ;;
        --ledger=*) args+=("--ledger=$(reckon_pg_ledger "${a#--ledger=}")"); seen=1 ;;
        *) args+=("$a") ;;
      esac
    done
    if [ $seen = 0 ]; then
      RECKON_LEDGER="$(reckon_pg_ledger "${RECKON_LEDGER:-reckon.db}")" "$RECKON_BIN" "${args[@]}"
    else
      "$RECKON_BIN" "${args[@]}"
    fi
  }
  # The stand-alone verifier reads SQLite files: it gets a copy of the database's ledger
  # (reckon ledger copy), named back to the case's ledger name in the transcript.
  python3() {
    local args=() a url n=0
    if [[ "$*" == *verify_ledger.py* ]]; then
      for a in "$@"; do
        url=$(awk -F'\t' -v n="$a" '$2 == n { print $1; exit }' "$RECKON_PG_MAP")
        if [ -n "$url" ]; then
          n=$((n + 1))
          local copy="${RECKON_PG_MAP%/*}/copy-$RANDOM-$n.db"
          "$RECKON_BIN" ledger copy "$url" "$copy" > /dev/null || return 1
          printf '%s\t%s\n' "$copy" "$a" >> "$RECKON_PG_MAP"
          a=$copy
        fi
        args+=("$a")
      done
      command python3 "${args[@]}"
    else
      command python3 "$@"
    fi
  }
  export -f reckon_pg_ledger python3
  drop_pg() {
    [ -f "$RECKON_PG_MAP.dbs" ] || return 0
    while IFS= read -r db; do psql -X -q "$RECKON_GOLDEN_PG" -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1; done < "$RECKON_PG_MAP.dbs"
  }
  trap 'drop_pg; rm -rf "$work" "$pg_state"' EXIT
fi
export -f reckon
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
if [ -n "${RECKON_GOLDEN_PG:-}" ]; then
  # Each database's address back to the ledger name the case wrote.
  while IFS=$'\t' read -r url name; do
    URL="$url" NAME="$name" perl -pi -e 's/\Q$ENV{URL}\E/$ENV{NAME}/g' "$actual"
  done < "$RECKON_PG_MAP"
fi
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
