#!/bin/sh
# Compares graft's deterministic parallel gzip with the system's `gzip -6` on the same data.
#   usage: bench/compress.sh [FILE.tar]   (default: the Alpine 3.18 x86_64 minirootfs, gunzipped)
# Results are recorded in BENCHMARKS.md; no test asserts on timings.
set -eu
cd "$(dirname "$0")/.."
input=${1:-}
if [ -z "$input" ]; then
  input=target/bench-alpine.tar
  gzip -dc ../shared/testdata/alpine/alpine-minirootfs-3.18.9-x86_64.tar.gz > "$input"
fi
mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt >/dev/null
exec java -Xmx2g -cp "target/classes:target/test-classes:$(cat target/bench-cp.txt)" \
  dev.graft.layer.GzipBenchmark "$input"
