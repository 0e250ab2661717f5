#!/usr/bin/env bash
# Keeps docs/contract-language.md true: runs every tagged example in it.
#
# Usage: check_contract_language.sh RECKON_BINARY DOC_PATH
#
# Tagged fenced blocks (the fence line is exactly as shown; blocks end at a
# line that is exactly ```):
#
#   ```yaml contract NAME.yaml     a complete contract; `reckon check` must pass
#   ```csv records NAME.csv        records (CSV) for contract NAME.yaml
#   ```sh records NAME.csv         a bash script whose stdout is the records CSV
#   ```text expect NAME.yaml       expectations for contract NAME.yaml (below)
#   ```yaml invalid NAME.yaml      a contract that `reckon check` must refuse
#   ```text error NAME.yaml        lines that must each appear (as substrings)
#                                  in the output of checking invalid NAME.yaml
#
# Records and expect blocks belong to the contract whose file name has the same
# base name (x.csv -> x.yaml). A contract may have several records blocks
# (ingested in document order). Records are ingested with
# `--vendor <the contract's vendor>` into a fresh ledger in a temp dir.
#
# Expect block lines (blank lines and lines starting with # are skipped):
#   period = 2026-10           settle this period (--json); repeat the line to
#                              settle several periods, in the order written
#   PATH = VALUE               compare against the LAST period settled
#   @2026-09 PATH = VALUE      compare against the statement of period 2026-09
# PATH is a jq-like dotted path into the statement JSON (`totals.net`,
# `lines.0.amount`, `metrics.resolution_rate`, `not_assessed.0.name`); array
# indexes are numbers. VALUE is compared as text: JSON strings without quotes,
# null as `null`, booleans as `true`/`false`, arrays and objects as compact
# JSON with sorted keys (`lines = []`). Leading/trailing blanks are ignored.
#
# Prints one line per check ("ok   ..." or "FAIL ..."); runs every example and
# exits 1 at the end if any check failed, each FAIL naming the contract, the
# period and the path.
set -uo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 RECKON_BINARY DOC_PATH" >&2
  exit 2
fi
bin=$(realpath "$1")
doc=$(realpath "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unset RECKON_LEDGER

# 1. Extract the tagged blocks: blocks/<kind>/<name>[.<n>] (records are
# numbered so that several blocks for one contract keep their order).
mkdir -p "$work/blocks"
awk -v out="$work/blocks" '
  function fail(msg) { printf "%s:%d: %s\n", FILENAME, NR, msg > "/dev/stderr"; bad = 1; exit 1 }
  inblock && /^```[ \t]*$/ { close(file); inblock = 0; next }
  inblock { print > file; next }
  /^```(yaml|csv|sh|text) (contract|records|expect|invalid|error) / {
    split(substr($0, 4), f, " ")
    lang = f[1]; kind = f[2]; name = f[3]
    if (name == "" || name ~ /[^A-Za-z0-9._-]/) fail("bad block name: " $0)
    if (kind == "records") {
      if (lang != "csv" && lang != "sh") fail("records blocks are csv or sh: " $0)
      n = ++nrec[name]
      file = out "/records." sprintf("%s.%03d.%s", name, n, lang)
    } else {
      if (seen[kind, name]++) fail("second " kind " block named " name)
      file = out "/" kind "." name
    }
    printf "" > file
    inblock = 1
    next
  }
  /^```(yaml|csv|sh|text) [a-z]+ / { fail("unknown block tag: " $0) }
  END { if (!bad && inblock) { printf "%s: unterminated block\n", FILENAME > "/dev/stderr"; exit 1 } }
' "$doc" || { echo "FAIL: could not extract the examples of $doc" >&2; exit 1; }

shopt -s nullglob
contracts=("$work"/blocks/contract.*)
invalids=("$work"/blocks/invalid.*)
if [ ${#contracts[@]} -eq 0 ]; then
  echo "FAIL: no \`\`\`yaml contract blocks in $doc" >&2
  exit 1
fi

base() { local n=${1##*/}; n=${n#*.}; echo "${n%.*}"; }   # blocks/kind.NAME.ext -> NAME

# Every records/expect/error block must belong to a contract block.
status=0
for f in "$work"/blocks/records.* "$work"/blocks/expect.* "$work"/blocks/error.*; do
  kind=${f##*/}; kind=${kind%%.*}
  n=${f##*/}; n=${n#*.}
  case $kind in
    records) n=${n%.*}; n=${n%.*}; n=${n%.*} ;;   # NAME.csv.001.sh -> NAME
    *) n=${n%.*} ;;
  esac
  if [ "$kind" = error ]; then
    [ -e "$work/blocks/invalid.$n.yaml" ] || { echo "FAIL: error block for $n.yaml has no \`\`\`yaml invalid $n.yaml block" >&2; status=1; }
  else
    [ -e "$work/blocks/contract.$n.yaml" ] || { echo "FAIL: $kind block for $n has no \`\`\`yaml contract $n.yaml block" >&2; status=1; }
  fi
done
[ $status -eq 0 ] || exit 1

# compare FILE DIR NAME: FILE has lines "PERIOD<TAB>PATH<TAB>VALUE"; compares each
# against DIR/st.PERIOD.json (one python3 start per contract: it is slow to start).
compare() {
  python3 - "$1" "$2" "$3" <<'PY'
import json, sys
checks, d, name = sys.argv[1], sys.argv[2], sys.argv[3]
def text(v):
    if v is None: return "null"
    if isinstance(v, bool): return "true" if v else "false"
    if isinstance(v, (dict, list)): return json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return str(v)
bad = 0
cache = {}
with open(checks, encoding="utf-8") as f:
    for line in f:
        period, path, want = line.rstrip("\n").split("\t", 2)
        if period not in cache:
            with open(f"{d}/st.{period}.json", encoding="utf-8") as st:
                cache[period] = json.load(st)
        v, found = cache[period], True
        for part in path.split("."):
            if isinstance(v, list) and part.isdigit() and int(part) < len(v): v = v[int(part)]
            elif isinstance(v, dict) and part in v: v = v[part]
            else: found = False; break
        if not found:
            print(f"FAIL {name}: {period} {path}: no such path in the statement (expected {want})"); bad = 1
        elif text(v) != want:
            print(f"FAIL {name}: {period} {path}: expected {want}, got {text(v)}"); bad = 1
        else:
            print(f"ok   {name}: {period} {path} = {want}")
sys.exit(bad)
PY
}

# trim VAR: strips leading and trailing blanks of the variable VAR (no subshell).
trim() { local -n _t=$1; _t=${_t#"${_t%%[![:space:]]*}"}; _t=${_t%"${_t##*[![:space:]]}"}; }

checks=0
failed=0
for c in "${contracts[@]}"; do
  name=$(base "$c")            # NAME (without .yaml)
  file="$name.yaml"
  dir="$work/run/$name"
  mkdir -p "$dir"
  cp "$c" "$dir/$file"
  cfail=0
  if ! out=$("$bin" check "$dir/$file" 2>&1); then
    echo "FAIL $file: reckon check refused it:"
    echo "$out" | sed 's/^/    /'
    failed=1
    continue
  fi
  echo "ok   $file: reckon check"
  checks=$((checks + 1))
  expect="$work/blocks/expect.$file"
  [ -e "$expect" ] || continue
  ledger="$dir/ledger.db"
  vendor=$(sed -n 's/^vendor:[[:space:]]*\([^#[:space:]]*\).*/\1/p' "$dir/$file" | head -n1)
  for r in "$work"/blocks/records."$name".csv.*; do
    csv="$dir/$(basename "$r").csv"
    if [[ $r == *.sh ]]; then
      if ! (cd "$dir" && bash "$r") > "$csv" 2> "$dir/gen.err"; then
        echo "FAIL $file: the sh records block failed:"; sed 's/^/    /' "$dir/gen.err"; cfail=1; break
      fi
    else
      cp "$r" "$csv"
    fi
    if ! out=$("$bin" ingest --ledger "$ledger" --vendor "$vendor" "$csv" 2>&1); then
      echo "FAIL $file: ingest of its records failed:"; echo "$out" | sed 's/^/    /'; cfail=1; break
    fi
    echo "ok   $file: ingested $(grep -c '' "$csv") lines of records"
  done
  if [ $cfail -eq 0 ]; then
    last=""
    # Pass 1: settle every `period = P` in order.
    while IFS= read -r line || [ -n "$line" ]; do
      trim line
      [[ -z $line || $line == \#* ]] && continue
      if [[ $line =~ ^period[[:space:]]*=[[:space:]]*([^[:space:]]+)$ ]]; then
        p=${BASH_REMATCH[1]}
        # The first period settled is where billing starts in this ledger (settle --start).
        flag=--period; [ -z "$last" ] && flag=--start
        if ! "$bin" settle --ledger "$ledger" --contract "$dir/$file" $flag "$p" --json > "$dir/st.$p.json" 2> "$dir/settle.err"; then
          echo "FAIL $file: settle --period $p failed:"; sed 's/^/    /' "$dir/settle.err"; cfail=1; break
        fi
        echo "ok   $file: settled $p"
        last=$p
      fi
    done < "$expect"
  fi
  if [ $cfail -eq 0 ]; then
    # Pass 2: the checks.
    if [ -z "$last" ]; then echo "FAIL $file: its expect block has no 'period = P' line"; cfail=1; fi
  fi
  if [ $cfail -eq 0 ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      trim line
      [[ -z $line || $line == \#* ]] && continue
      [[ $line =~ ^period[[:space:]]*= ]] && continue
      p=$last
      if [[ $line =~ ^@([^[:space:]]+)[[:space:]]+(.*)$ ]]; then
        p=${BASH_REMATCH[1]}; line=${BASH_REMATCH[2]}
      fi
      if [[ ! $line =~ ^([^[:space:]=]+)[[:space:]]*=(.*)$ ]]; then
        echo "FAIL $file: cannot read expectation line: $line"; cfail=1; continue
      fi
      path=${BASH_REMATCH[1]}; want=${BASH_REMATCH[2]}; trim want
      if [ ! -e "$dir/st.$p.json" ]; then
        echo "FAIL $file: @$p: period $p was not settled (add 'period = $p' to the expect block)"; cfail=1; continue
      fi
      printf '%s\t%s\t%s\n' "$p" "$path" "$want" >> "$dir/checks.tsv"
      checks=$((checks + 1))
    done < "$expect"
    if [ -s "$dir/checks.tsv" ]; then compare "$dir/checks.tsv" "$dir" "$file" || cfail=1; fi
  fi
  [ $cfail -eq 0 ] || failed=1
done

for c in "${invalids[@]}"; do
  name=$(base "$c"); file="$name.yaml"
  dir="$work/run/invalid-$name"
  mkdir -p "$dir"
  cp "$c" "$dir/$file"
  out=$(cd "$dir" && "$bin" check "$file" 2>&1); rc=$?
  checks=$((checks + 1))
  if [ $rc -ne 1 ]; then
    echo "FAIL invalid $file: reckon check exited $rc, expected 1:"; echo "$out" | sed 's/^/    /'; failed=1; continue
  fi
  echo "ok   invalid $file: reckon check refuses it"
  errf="$work/blocks/error.$file"
  [ -e "$errf" ] || continue
  while IFS= read -r line || [ -n "$line" ]; do
    trim line
    [[ -z $line || $line == \#* ]] && continue
    checks=$((checks + 1))
    if [[ $out == *"$line"* ]]; then
      echo "ok   invalid $file: says: $line"
    else
      echo "FAIL invalid $file: the output does not contain: $line"
      echo "$out" | sed 's/^/    /'
      failed=1
    fi
  done < "$errf"
done

if [ $failed -ne 0 ]; then
  echo "FAILED: $doc does not match reckon (see FAIL lines above)"
  exit 1
fi
echo "all $checks checks of ${#contracts[@]} contracts and ${#invalids[@]} invalid contracts in $(basename "$doc") passed"
