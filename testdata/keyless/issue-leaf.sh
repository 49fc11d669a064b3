#!/usr/bin/env bash
# Issues a Fulcio-like leaf certificate with openssl (python3 only packs bytes), as the stand-in
# CA of make-fulcio.sh: for the public key PUBKEY (PEM), naming IDENTITY (subject alternative name:
# a URI, or an email) and ISSUER (Fulcio's OIDC issuer extensions 1.3.6.1.4.1.57264.1.1 raw and .1.8
# DER), signed by DIR/inter.key, with an embedded SCT signed by DIR/ctlog.key over the
# precertificate (RFC 6962 §3.2: the same TBS without the SCT extension).
#
# usage: issue-leaf.sh DIR PUBKEY IDENTITY ISSUER OUT
set -euo pipefail
dir=$(cd "$1" && pwd) pubkey=$(realpath "$2") identity=$3 issuer=$4 out=$(realpath -m "$5")
work=$(mktemp -d "$dir/issue.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
case "$identity" in
  *://*) san="URI:$identity" ;;
  *@*) san="email:$identity" ;;
  *) san="URI:$identity" ;;
esac
issuer_hex=$(printf '%s' "$issuer" | od -An -tx1 | tr -d ' \n')
serial=0x1$(openssl rand -hex 8)
leaf_ext() { # the leaf's extensions; $1: extra lines (the SCT) appended last
  cat <<CNF
[leaf]
keyUsage = critical, digitalSignature
extendedKeyUsage = codeSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = critical, $san
1.3.6.1.4.1.57264.1.1 = DER:$issuer_hex
1.3.6.1.4.1.57264.1.8 = ASN1:UTF8String:$issuer
$1
CNF
}
# The precertificate is made by openssl; the certificate is the same TBS with the SCT extension
# appended, re-signed by openssl with the intermediate's key (python only re-packs the DER), so the
# two differ in nothing but that extension.
openssl x509 -new -subj "/O=sigstore.dev" -CA "$dir/inter.pem" -CAkey "$dir/inter.key" -force_pubkey "$pubkey" \
  -set_serial "$serial" -days 3650 -extfile <(leaf_ext "") -extensions leaf -sha256 -outform DER -out pre.der \
  2>/dev/null
openssl x509 -in "$dir/inter.pem" -noout -pubkey | openssl pkey -pubin -outform DER -out inter-spki.der
openssl pkey -pubin -in "$dir/ctlog.pub" -outform DER -out ctlog.der
cat > der.py <<'PY'
def tlv(b, i):
    """(start of content, end) of the DER element at i"""
    n = b[i + 1]
    if n < 0x80:
        return i + 2, i + 2 + n
    k = n & 0x7f
    return i + 2 + k, i + 2 + k + int.from_bytes(b[i + 2:i + 2 + k], "big")
def elements(b, start, end):
    out, i = [], start
    while i < end:
        _, e = tlv(b, i)
        out.append(b[i:e])
        i = e
    return out
def wrap(tag, content):
    n = len(content)
    if n < 0x80:
        return bytes([tag, n]) + content
    k = (n.bit_length() + 7) // 8
    return bytes([tag, 0x80 | k]) + n.to_bytes(k, "big") + content
PY
python3 - <<'PY'
import hashlib, struct, time
from der import tlv
der = open("pre.der", "rb").read()
start, _ = tlv(der, 0)
_, tbs_end = tlv(der, start)
tbs = der[start:tbs_end]  # the whole TBSCertificate element, header included
ts = int(time.time() * 1000) - 60_000
issuer_hash = hashlib.sha256(open("inter-spki.der", "rb").read()).digest()
signed = (bytes([0, 0]) + struct.pack(">Q", ts) + struct.pack(">H", 1) + issuer_hash
          + len(tbs).to_bytes(3, "big") + tbs + struct.pack(">H", 0))
open("sct-signed.bin", "wb").write(signed)
open("sct-ts", "w").write(str(ts))
PY
openssl dgst -sha256 -sign "$dir/ctlog.key" -out sct.sig sct-signed.bin
python3 - <<'PY'
import hashlib, struct
from der import tlv, elements, wrap
sig = open("sct.sig", "rb").read()
log_id = hashlib.sha256(open("ctlog.der", "rb").read()).digest()
ts = int(open("sct-ts").read())
sct = bytes([0]) + log_id + struct.pack(">Q", ts) + struct.pack(">H", 0) + bytes([4, 3]) + struct.pack(">H", len(sig)) + sig
lst = struct.pack(">H", len(sct) + 2) + struct.pack(">H", len(sct)) + sct
oid = bytes.fromhex("060a2b06010401d679020402")  # 1.3.6.1.4.1.11129.2.4.2
ext = wrap(0x30, oid + wrap(0x04, wrap(0x04, lst)))
der = open("pre.der", "rb").read()
cs, ce = tlv(der, 0)
tbs, alg, _ = elements(der, cs, ce)
ts_, te = tlv(tbs, 0)
parts = elements(tbs, ts_, te)
assert parts[-1][0] == 0xa3, "the precertificate's last TBS field is its extensions"
xs, xe = tlv(parts[-1], 0)
seq = parts[-1][xs:xe]
ss, se = tlv(seq, 0)
new_tbs = wrap(0x30, b"".join(parts[:-1]) + wrap(0xa3, wrap(0x30, seq[ss:se] + ext)))
open("tbs.der", "wb").write(new_tbs)
open("alg.der", "wb").write(alg)
PY
openssl dgst -sha256 -sign "$dir/inter.key" -out tbs.sig tbs.der
python3 - <<'PY'
from der import wrap
cert = wrap(0x30, open("tbs.der", "rb").read() + open("alg.der", "rb").read()
            + wrap(0x03, b"\x00" + open("tbs.sig", "rb").read()))
open("leaf.der", "wb").write(cert)
PY
openssl x509 -inform DER -in leaf.der -out "$out.tmp"
mv "$out.tmp" "$out"
