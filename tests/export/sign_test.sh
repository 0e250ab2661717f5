#!/usr/bin/env bash
# export --sign: a bundle signed with a fresh Ed25519 key verifies with exactly the commands
# of docs/export.md (the ```sh sign-check block, run as written in the bundle directory); a
# changed manifest or a wrong key fails; a bad key file is refused (exit 1) with nothing written.
# Usage: sign_test.sh RECKON_BINARY SOURCE_DIR
set -euo pipefail
bin=$(realpath "$1"); src=$(realpath "$2")
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
awk 'BEGIN{print "id,vendor,occurred_at,verified,outcome"; for(i=1;i<=30;i++) printf "T%05d,acme-ai,2026-10-%02dT12:00:00Z,true,%s\n", i, i, (i<=20?"resolved":"escalated")}' > records.csv
"$bin" ingest --ledger l.db records.csv > /dev/null
"$bin" settle --ledger l.db --contract "$src/tests/golden/e1-rate-0.67/e1.yaml" --start 2026-10 > /dev/null
openssl genpkey -algorithm ed25519 -out key.pem 2>/dev/null
"$bin" export --ledger l.db --contract e1 --period 2026-10 --out bundle --sign key.pem > /dev/null
[ -f bundle/MANIFEST.sha256.sig ] || fail "no signature file"
[ "$(stat -c %s bundle/MANIFEST.sha256.sig)" = 64 ] || fail "an Ed25519 signature is 64 bytes"

# The documented check, verbatim, in the bundle directory (key.pem beside it, as the signer has it).
block=$(sed -n '/^```sh sign-check/,/^```/p' "$src/docs/export.md" | sed '1d;$d')
[ -n "$block" ] || fail "docs/export.md has no \`\`\`sh sign-check block"
cp key.pem bundle/
(cd bundle && bash -euo pipefail -c "$block") || fail "the documented check fails on a good bundle"

# A changed manifest must fail the signature check (the last line of the block is the openssl verify).
verify_line=$(printf '%s\n' "$block" | grep 'pkeyutl -verify')
cp -r bundle tampered
sed -i '1s/^./0/; 1s/^00/11/' tampered/MANIFEST.sha256
cmp -s bundle/MANIFEST.sha256 tampered/MANIFEST.sha256 && fail "tampering did not change the manifest"
if (cd tampered && bash -c "$verify_line") > /dev/null 2>&1; then fail "a tampered manifest verified"; fi

# Another key's public half must not verify it either.
openssl genpkey -algorithm ed25519 -out other.pem 2>/dev/null
cp bundle/pub.pem good-pub.pem
openssl pkey -in other.pem -pubout -out bundle/pub.pem
if (cd bundle && bash -c "$verify_line") > /dev/null 2>&1; then fail "another key verified the signature"; fi

# Bad keys: exit 1, a clear message, nothing written.
echo "not a key" > junk.pem
openssl genpkey -algorithm rsa -pkeyopt rsa_keygen_bits:1024 -out rsa.pem 2>/dev/null
openssl genpkey -algorithm ed25519 -aes-128-cbc -pass pass:secret -out enc.pem 2>/dev/null
for k in junk.pem rsa.pem enc.pem missing.pem; do
  set +e
  "$bin" export --ledger l.db --contract e1 --period 2026-10 --out "out-$k" --sign "$k" > out.txt 2> err.txt
  rc=$?
  set -e
  [ "$rc" = 1 ] || fail "--sign $k: exit $rc, expected 1"
  grep -q -- "--sign $k" err.txt || fail "--sign $k: message does not name the key: $(cat err.txt)"
  [ ! -e "out-$k" ] || fail "--sign $k: wrote out-$k"
done
grep -q "not Ed25519" <("$bin" export --ledger l.db --contract e1 --period 2026-10 --out x --sign rsa.pem 2>&1) || fail "RSA key not named"
leftover=$(ls -A | grep -c '\.tmp-' || true)
[ "$leftover" = 0 ] || fail "temporary directories left behind"
echo "sign test ok"
