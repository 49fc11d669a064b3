#!/usr/bin/env bash
# Signs a payload as a keyless signer would, with the stand-in Sigstore of make-fulcio.sh (openssl
# signs; python3 writes JSON): the ECDSA signature with the leaf's key, the hashedrekord entry Rekor
# would log for it (v0.0.1: the payload's sha256, the signature, the PEM certificate), and Rekor's
# signed entry timestamp over the entry (RFC 8785 canonical JSON of body, integratedTime, logID,
# logIndex), as cosign's bundle annotation holds them.
#
# usage: sign-payload.sh DIR PAYLOAD OUT [LOG_INDEX] [SET_KEY]
# writes OUT.sig (base64 DER signature) and OUT.bundle.json (cosign's Rekor bundle)
set -euo pipefail
dir=$1 payload=$2 out=$3 index=${4:-4711} setkey=${5:-$1/rekor.key}
openssl dgst -sha256 -sign "$dir/leaf.key" -out "$out.der" "$payload"
openssl base64 -A -in "$out.der" -out "$out.sig"
python3 - "$dir" "$payload" "$out" "$index" <<'PY'
import base64, hashlib, json, sys, time
d, payload, out, index = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
body = {"apiVersion": "0.0.1", "kind": "hashedrekord", "spec": {
    "data": {"hash": {"algorithm": "sha256", "value": hashlib.sha256(open(payload, "rb").read()).hexdigest()}},
    "signature": {"content": open(out + ".sig").read().strip(),
                  "publicKey": {"content": base64.b64encode(open(d + "/leaf.pem", "rb").read()).decode()}}}}
entry = {"body": base64.b64encode(json.dumps(body, separators=(",", ":")).encode()).decode(),
         "integratedTime": int(time.time()), "logIndex": index,
         "logID": hashlib.sha256(open(d + "/rekor.der", "rb").read()).hexdigest()}
open(out + ".entry.json", "w").write(json.dumps(entry, sort_keys=True, separators=(",", ":")))
PY
openssl dgst -sha256 -sign "$setkey" -out "$out.set" "$out.entry.json"
python3 - "$out" <<'PY'
import base64, json, sys
out = sys.argv[1]
entry = json.load(open(out + ".entry.json"))
bundle = {"SignedEntryTimestamp": base64.b64encode(open(out + ".set", "rb").read()).decode(), "Payload": entry}
json.dump(bundle, open(out + ".bundle.json", "w"))
PY
rm -f "$out.der" "$out.set" "$out.entry.json"
