#!/usr/bin/env bash
# node_modules for one platform from a lockfile, side by side, both from a warm download cache:
#   graft   `graft build` of one `from: npm` layer (testdata/npm-app: 83 packages for linux/amd64
#           glibc, 171 in the lockfile) onto the example's Alpine base, written as an OCI layout;
#           the tarball cache is warm, the layer cache empty (so the layer is laid out, tarred and
#           gzipped every run); with --verify=off and with verification run (--verify=warn: the
#           base has no node, so strict would refuse glibc packages on Alpine, as it should).
#   npm ci  `npm ci --omit=dev --ignore-scripts --prefer-offline` of the same lockfile into a fresh
#           directory, from a warm npm cache (it extracts; it writes no layer).
#   floor   tar | gzip -6 | sha256sum of npm ci's node_modules: writing that tree as a layer.
#   bench/npm-deps.sh [-n RUNS] [--no-write]    medians of RUNS (default 5); appends a line to BENCHMARKS.md
# Benchmarks are not tests: nothing here asserts a time.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
RUNS=5 WRITE=1
while [ $# -gt 0 ]; do
  case $1 in
    -n) RUNS=$2; shift ;;
    --no-write) WRITE=0 ;;
    *) echo "usage: bench/npm-deps.sh [-n RUNS] [--no-write]" >&2; exit 2 ;;
  esac
  shift
done
for tool in java npm tar gzip sha256sum; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing" >&2; exit 1; }
done
[ -f "$root/target/graft.jar" ] || (cd "$root" && mvn -q -B -ntp -DskipTests package)
images=$("$root/testdata/example/make-images.sh" | tail -n1)
work=$(mktemp -d "${TMPDIR:-/tmp}/graft-npm-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
CACHE=${GRAFT_BENCH_CACHE:-$HOME/.cache/graft-bench}/npm
mkdir -p "$CACHE/graft/npm" "$CACHE/npm-cache"
cp "$root/testdata/npm-app/package.json" "$root/testdata/npm-app/package-lock.json" "$work/"
cat > "$work/graft.yaml" <<YAML
base: oci:$images/base:latest
platforms: [linux/amd64]
layers:
  - { name: deps, from: npm, lockfile: ./package-lock.json, to: /app, libc: glibc }
YAML
now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m}'; }
graft_run() { # graft_run VERIFY -> seconds; a fresh layer cache whose npm/ is the warm one
  rm -rf "$work/gc" "$work/out"; mkdir -p "$work/gc"; ln -s "$CACHE/graft/npm" "$work/gc/npm"
  local t0; t0=$(now)
  java -jar "$root/target/graft.jar" build -f "$work/graft.yaml" --cache-dir "$work/gc" --to "oci:$work/out:latest" \
    --verify "$1" --quiet >/dev/null 2>"$work/graft.err" || { cat "$work/graft.err" >&2; exit 1; }
  echo "$(now) - $t0" | bc
}
npm_run() {
  rm -rf "$work/ci"; mkdir -p "$work/ci"; cp "$work/package.json" "$work/package-lock.json" "$work/ci/"
  local t0; t0=$(now)
  (cd "$work/ci" && umask 022 && npm ci --omit=dev --ignore-scripts --prefer-offline --no-audit --no-fund \
    --update-notifier=false --userconfig /dev/null --cache "$CACHE/npm-cache" --loglevel=error >/dev/null)
  echo "$(now) - $t0" | bc
}
floor_run() {
  local t0; t0=$(now)
  tar -C "$work/ci" --sort=name --mtime=@1 --owner=0 --group=0 --numeric-owner -cf - node_modules | gzip -6 | sha256sum >/dev/null
  echo "$(now) - $t0" | bc
}
echo "bench: warming the caches" >&2
graft_run off >/dev/null; npm_run >/dev/null
g_off=() g_on=() n=() f=()
for i in $(seq "$RUNS"); do
  g_off+=("$(graft_run off)"); g_on+=("$(graft_run warn)"); n+=("$(npm_run)"); f+=("$(floor_run)")
done
G_OFF=$(printf '%s\n' "${g_off[@]}" | median) G_ON=$(printf '%s\n' "${g_on[@]}" | median)
N=$(printf '%s\n' "${n[@]}" | median) F=$(printf '%s\n' "${f[@]}" | median)
SIZE=$(du -sm "$work/ci/node_modules" | cut -f1)
line="| $(date -u +%F) | npm-app lockfile, linux/amd64 glibc, 83 packages, ${SIZE} MiB | graft ${G_OFF} s (verify off), ${G_ON} s (verification run, --verify=warn: this base has no node) | npm ci ${N} s | tar+gzip floor ${F} s | medians of ${RUNS}, warm download caches, $(nproc) cores |"
echo "$line"
if [ "$WRITE" = 1 ]; then
  grep -q '^## node_modules from a lockfile' "$root/BENCHMARKS.md" || printf '\n## node_modules from a lockfile (bench/npm-deps.sh)\n\n| date | input | graft (layer written) | npm ci (extract only) | floor | runs |\n|---|---|---|---|---|---|\n' >> "$root/BENCHMARKS.md"
  echo "$line" >> "$root/BENCHMARKS.md"
fi
