#!/usr/bin/env bash
# Makes a stand-in for Sigstore's public-good instance, with openssl alone (python3 only packs
# bytes and writes JSON): a Fulcio-like CA (root + intermediate), a leaf certificate for an
# ephemeral P-256 key naming IDENTITY (subject alternative name) and ISSUER (Fulcio's OIDC issuer
# extensions), carrying an embedded SCT signed by a test CT log key, a test Rekor log key, and a
# trusted_root.json (Sigstore's format) that trusts exactly these.
#
# usage: make-fulcio.sh DIR IDENTITY ISSUER
# writes DIR/{root,inter,leaf,ctlog,rekor}.{pem,key}, DIR/chain.pem (intermediate + root),
# DIR/trusted_root.json
set -euo pipefail
dir=$1 identity=$2 issuer=$3
mkdir -p "$dir"
cd "$dir"
for k in root inter leaf ctlog rekor; do
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$k.key" 2>/dev/null
  openssl pkey -in "$k.key" -pubout -out "$k.pub"
done
openssl req -x509 -new -key root.key -subj "/O=graft-test/CN=test-fulcio-root" -days 3650 -sha256 \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out root.pem
cat > ext.cnf <<CNF
[inter]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
extendedKeyUsage = codeSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
openssl req -new -key inter.key -subj "/O=graft-test/CN=test-fulcio-intermediate" -out inter.csr
openssl x509 -req -in inter.csr -CA root.pem -CAkey root.key -set_serial 2 -days 3650 -sha256 \
  -extfile ext.cnf -extensions inter -out inter.pem 2>/dev/null
cat inter.pem root.pem > chain.pem

case "$identity" in
  *://*) san="URI:$identity" ;;
  *@*) san="email:$identity" ;;
  *) san="URI:$identity" ;;
esac
issuer_hex=$(printf '%s' "$issuer" | od -An -tx1 | tr -d ' \n')
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
# One self-signed draft (openssl x509 -CA re-signs only self-signed input); the precertificate and
# the final certificate are both re-signed from it with preserved dates and serial, so they differ
# only in the SCT extension (RFC 6962 §3.1).
openssl req -x509 -new -key leaf.key -subj "/O=sigstore.dev" -days 3650 -sha256 -out draft.pem
leaf_ext "" > leaf.cnf
openssl x509 -in draft.pem -CA inter.pem -CAkey inter.key -set_serial 0x5157 -preserve_dates -clrext \
  -extfile leaf.cnf -extensions leaf -sha256 -outform DER -out pre.der 2>/dev/null
openssl pkey -pubin -in ctlog.pub -outform DER -out ctlog.der
openssl x509 -in inter.pem -noout -pubkey | openssl pkey -pubin -outform DER -out inter-spki.der

# The SCT's signed data (RFC 6962 §3.2, precert_entry) and the SCT list, packed by python; the
# signature is openssl's.
python3 - <<'PY'
import hashlib, struct, time
der = open("pre.der", "rb").read()
def tlv(b, i):  # (start of content, end) of the DER element at i
    n = b[i + 1]
    if n < 0x80:
        return i + 2, i + 2 + n
    k = n & 0x7f
    return i + 2 + k, i + 2 + k + int.from_bytes(b[i + 2:i + 2 + k], "big")
start, _ = tlv(der, 0)
_, tbs_end = tlv(der, start)
tbs = der[start:tbs_end]
ts = int(time.time() * 1000) - 60_000
issuer_hash = hashlib.sha256(open("inter-spki.der", "rb").read()).digest()
signed = (bytes([0, 0]) + struct.pack(">Q", ts) + struct.pack(">H", 1) + issuer_hash
          + len(tbs).to_bytes(3, "big") + tbs + struct.pack(">H", 0))
open("sct-signed.bin", "wb").write(signed)
open("sct-ts", "w").write(str(ts))
PY
openssl dgst -sha256 -sign ctlog.key -out sct.sig sct-signed.bin
python3 - <<'PY'
import hashlib, struct
sig = open("sct.sig", "rb").read()
log_id = hashlib.sha256(open("ctlog.der", "rb").read()).digest()
ts = int(open("sct-ts").read())
sct = bytes([0]) + log_id + struct.pack(">Q", ts) + struct.pack(">H", 0) + bytes([4, 3]) + struct.pack(">H", len(sig)) + sig
lst = struct.pack(">H", len(sct) + 2) + struct.pack(">H", len(sct)) + sct
def der_len(n):
    return bytes([n]) if n < 0x80 else bytes([0x80 | 2]) + n.to_bytes(2, "big")
open("sct-ext.hex", "w").write((bytes([0x04]) + der_len(len(lst)) + lst).hex())
PY
leaf_ext "1.3.6.1.4.1.11129.2.4.2 = DER:$(cat sct-ext.hex)" > leaf-sct.cnf
openssl x509 -in draft.pem -CA inter.pem -CAkey inter.key -set_serial 0x5157 -preserve_dates -clrext \
  -extfile leaf-sct.cnf -extensions leaf -sha256 -out leaf.pem 2>/dev/null
openssl verify -CAfile root.pem -untrusted inter.pem leaf.pem >/dev/null

openssl pkey -pubin -in rekor.pub -outform DER -out rekor.der
for c in root inter; do openssl x509 -in $c.pem -outform DER -out $c.der; done
python3 - <<'PY'
import base64, hashlib, json
b64 = lambda f: base64.b64encode(open(f, "rb").read()).decode()
keyid = lambda f: base64.b64encode(hashlib.sha256(open(f, "rb").read()).digest()).decode()
since = {"start": "2020-01-01T00:00:00Z"}
def log(url, der):
    return {"baseUrl": url, "hashAlgorithm": "SHA2_256",
            "publicKey": {"rawBytes": b64(der), "keyDetails": "PKIX_ECDSA_P256_SHA_256", "validFor": since},
            "logId": {"keyId": keyid(der)}}
root = {
    "mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
    "tlogs": [log("https://rekor.graft.test", "rekor.der")],
    "certificateAuthorities": [{
        "subject": {"organization": "graft-test", "commonName": "test-fulcio"},
        "uri": "https://fulcio.graft.test",
        "certChain": {"certificates": [{"rawBytes": b64("inter.der")}, {"rawBytes": b64("root.der")}]},
        "validFor": since}],
    "ctlogs": [log("https://ctfe.graft.test", "ctlog.der")],
    "timestampAuthorities": []}
json.dump(root, open("trusted_root.json", "w"), indent=2)
PY
rm -f ./*.csr draft.pem pre.der sct-signed.bin sct.sig sct-ts sct-ext.hex inter-spki.der ext.cnf leaf.cnf leaf-sct.cnf
