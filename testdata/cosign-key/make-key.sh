#!/usr/bin/env bash
# Makes a cosign-format key pair with node and the npm package tweetnacl (nacl secretbox), so tests
# judge graft's key reading with keys graft's own code did not write. tweetnacl comes from the npm
# registry through testdata/fetch-fixtures.sh (cached under ~/.cache/graft-testdata).
#   make-key.sh OUT_DIR PASSWORD [PEM_TYPE] [SCRYPT_N]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
nacl="$("$here/../fetch-fixtures.sh" tweetnacl@1.0.3 | cut -f2)"
node "$here/make-key.js" "$nacl" "$@"
