#!/usr/bin/env bash
# Makes a stand-in for Sigstore's public-good instance, with openssl alone (python3 only packs
# bytes and writes JSON): a Fulcio-like CA (root + intermediate), a leaf certificate for an
# ephemeral P-256 key naming IDENTITY (subject alternative name) and ISSUER (Fulcio's OIDC issuer
# extensions), carrying an embedded SCT signed by a test CT log key, a test Rekor log key, and a
# trusted_root.json (Sigstore's format) that trusts exactly these.
#
# usage: make-fulcio.sh DIR IDENTITY ISSUER [REKOR_URL]
# writes DIR/{root,inter,leaf,ctlog,rekor}.{pem,key}, DIR/chain.pem (intermediate + root),
# DIR/trusted_root.json (its Rekor log at REKOR_URL: a checkpoint names the log by that host)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=$1 identity=$2 issuer=$3 rekor_url=${4:-https://rekor.graft.test}
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

openssl pkey -pubin -in ctlog.pub -outform DER -out ctlog.der
"$here/issue-leaf.sh" . leaf.pub "$identity" "$issuer" leaf.pem
openssl verify -CAfile root.pem -untrusted inter.pem leaf.pem >/dev/null

openssl pkey -pubin -in rekor.pub -outform DER -out rekor.der
for c in root inter; do openssl x509 -in $c.pem -outform DER -out $c.der; done
REKOR_URL=$rekor_url python3 - <<'PY'
import base64, hashlib, json, os
b64 = lambda f: base64.b64encode(open(f, "rb").read()).decode()
keyid = lambda f: base64.b64encode(hashlib.sha256(open(f, "rb").read()).digest()).decode()
since = {"start": "2020-01-01T00:00:00Z"}
def log(url, der):
    return {"baseUrl": url, "hashAlgorithm": "SHA2_256",
            "publicKey": {"rawBytes": b64(der), "keyDetails": "PKIX_ECDSA_P256_SHA_256", "validFor": since},
            "logId": {"keyId": keyid(der)}}
root = {
    "mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
    "tlogs": [log(os.environ["REKOR_URL"], "rekor.der")],
    "certificateAuthorities": [{
        "subject": {"organization": "graft-test", "commonName": "test-fulcio"},
        "uri": "https://fulcio.graft.test",
        "certChain": {"certificates": [{"rawBytes": b64("inter.der")}, {"rawBytes": b64("root.der")}]},
        "validFor": since}],
    "ctlogs": [log("https://ctfe.graft.test", "ctlog.der")],
    "timestampAuthorities": []}
json.dump(root, open("trusted_root.json", "w"), indent=2)
PY
rm -f ./*.csr ext.cnf
