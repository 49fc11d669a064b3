#!/usr/bin/env bash
# End-to-end build+push benchmark: graft against the floor (tar | gzip -6 | sha256sum of exactly
# the new files), against buildah doing the same job daemonlessly, and skopeo for the transfer
# alone, on real data, against a real local registry; also a zstd build against zstd's own floor
# (tar | zstd -3 -T1 | sha256sum). One command:
#   bench/run.sh [-n RUNS] [--big] [--no-write]
#     -n RUNS     runs per scenario; medians are reported (default 3)
#     --big       also build a layer of 1 GiB of new content and report graft's peak RSS
#     --no-write  print the table only; do not update BENCHMARKS.md
# Inputs (cached in ~/.cache/graft-bench, override GRAFT_BENCH_CACHE): the example's Alpine 3.16
# base and builder (official node 20 from npm + glibc libraries; testdata/example/make-images.sh),
# `npm install express bcrypt better-sqlite3 lodash moment` and a generated dist/ of 3000 small
# files. Needs: docker-registry, skopeo, buildah (apt-get installed when root), npm, jq, java, zstd.
# Benchmarks are not tests: nothing here asserts a time.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
RUNS=3 BIG=0 WRITE=1
while [ $# -gt 0 ]; do
  case $1 in
    -n) RUNS=$2; shift ;;
    --big) BIG=1 ;;
    --no-write) WRITE=0 ;;
    *) echo "usage: bench/run.sh [-n RUNS] [--big] [--no-write]" >&2; exit 2 ;;
  esac
  shift
done
CACHE=${GRAFT_BENCH_CACHE:-$HOME/.cache/graft-bench}
for tool in docker-registry skopeo npm jq java curl zstd; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install it)" >&2; exit 1; }
done
if ! command -v buildah >/dev/null; then
  [ "$(id -u)" = 0 ] || { echo "bench: buildah is missing (apt-get install buildah)" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq buildah >/dev/null
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/graft-bench.XXXXXX"); export work
REG_PID=""
cleanup() { [ -n "$REG_PID" ] && kill "$REG_PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
log() { echo "bench: $*" >&2; }

# --- inputs (prepared once) ------------------------------------------------------------------
[ -f "$root/target/graft.jar" ] || (cd "$root" && mvn -q -DskipTests package)
# the launcher users run (bin/graft: serial GC, class-data sharing)
GRAFT=$root/bin/graft GRAFT_JAR=$root/target/graft.jar; export GRAFT GRAFT_JAR
images=$("$root/testdata/example/make-images.sh")
app=$CACHE/app-v1
if [ ! -f "$app/.complete" ]; then
  log "preparing $app (npm install, generated dist/)"
  rm -rf "$app.tmp" && mkdir -p "$app.tmp/dist"
  echo '{"name":"bench-app","version":"1.0.0","private":true}' > "$app.tmp/package.json"
  # --ignore-scripts: better-sqlite3's install script fetches a prebuilt addon from GitHub or
  # compiles against headers from nodejs.org, neither reachable here; its JS and sources still
  # land in node_modules (bcrypt 6 ships its prebuilt addons inside the npm package).
  (cd "$app.tmp" && npm install -s --no-audit --no-fund --ignore-scripts \
    express@4 bcrypt@6 better-sqlite3@11 lodash@4 moment@2 >/dev/null)
  # dist/: 3000 small modules of a bundled app, deterministic content
  for i in $(seq 1 3000); do
    d="$app.tmp/dist/m$((i % 50))"
    mkdir -p "$d"
    printf 'export function f%d(x) {\n  // module %d\n  return x * %d + "%s";\n}\n' "$i" "$i" "$i" \
      "$(printf '%0200d' "$i")" > "$d/f$i.js"
  done
  echo 'console.log("bench app");' > "$app.tmp/dist/index.js"
  touch "$app.tmp/.complete" && rm -rf "$app" && mv "$app.tmp" "$app"
fi
cat > "$work/graft.yaml" <<EOF
builder: oci:$images/builder:latest
platforms: [linux/amd64]
layers:
  - recipe: node-runtime
  - { name: deps, from: ./node_modules, to: /app/node_modules }
  - { name: dist, from: ./dist, to: /app/dist }
config:
  env: { NODE_ENV: production, LIBC: glibc }
  workdir: /app
  entrypoint: [node, /app/dist/index.js]
EOF
cp -a "$app/node_modules" "$app/dist" "$work/"
# Let the copies settle: graft remembers a file's hash only when its times are 2 s older than the
# hashing (git's racy-write rule), so a cold build started at once would leave the first warm
# rebuild rehashing every file, which no developer's tree (edited file aside) looks like.
sleep 2

# --- a real registry, fresh per run ----------------------------------------------------------
start_registry() { # start_registry DIR: empty registry in DIR with the base pushed; sets REG, REG_PID
  local dir=$1 port
  [ -n "$REG_PID" ] && { kill "$REG_PID"; wait "$REG_PID" 2>/dev/null || true; }
  mkdir -p "$dir"
  for _ in 1 2 3 4 5; do
    port=$(( 20000 + RANDOM % 20000 ))
    printf 'version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n  secret: bench\n' \
      "$dir/storage" "$port" > "$dir/config.yml"
    docker-registry serve "$dir/config.yml" >>"$dir/log" 2>&1 &
    REG_PID=$!
    for _ in $(seq 50); do
      curl -fs "http://127.0.0.1:$port/v2/" >/dev/null && break
      sleep 0.1
    done
    if curl -fs "http://127.0.0.1:$port/v2/" >/dev/null; then
      REG=127.0.0.1:$port; export REG
      skopeo copy -q --all --dest-tls-verify=false "oci:$images/base:latest" "docker://$REG/bench/base:latest"
      return
    fi
    kill "$REG_PID" 2>/dev/null || true
  done
  echo "bench: docker-registry did not start: $(cat "$dir/log")" >&2; exit 1
}
stored() { du -sb "$REGDIR/storage" | cut -f1; }

# measure NAME CMD...: appends "NAME seconds peak_rss_kib registry_growth_bytes json_bytes_uploaded"
measure() {
  local name=$1; shift
  local before after t0 t1 up
  before=$(stored)
  t0=$(date +%s.%N)
  # through bash so that the shell functions below can be measured too
  /usr/bin/time -v -o "$work/time.txt" bash -c '"$@"' measured "$@" > "$work/out.json" 2>"$work/err.txt" \
    || { echo "bench: $name failed:" >&2; cat "$work/err.txt" >&2; exit 1; }
  t1=$(date +%s.%N)
  after=$(stored)
  up=$(jq -r '.blobs.bytesUploaded // "-"' "$work/out.json" 2>/dev/null || echo -)
  echo "$name $(echo "$t1 - $t0" | bc) $(awk -F': ' '/Maximum resident/ {print $2}' "$work/time.txt") \
$((after - before)) $up" >> "$work/results"
}
graft_build() { # graft_build TAG: build the app onto the registry's base and push it
  (cd "$work" && "$GRAFT" build -q --json --cache-dir "$work/graft-cache" --insecure-registry "$REG" \
    --base "docker://$REG/bench/base:latest" --to "docker://$REG/bench/app:$1")
}
buildah_job() { # the same job, daemonless: from the base, copy the same new files, commit, push
  local b=(buildah --root "$work/buildah/root" --runroot "$work/buildah/run" --storage-driver vfs)
  local c
  c=$("${b[@]}" from -q --tls-verify=false --pull=always "docker://$REG/bench/base:latest")
  "${b[@]}" copy -q "$c" "$work/newfiles/" / >/dev/null
  "${b[@]}" config --workingdir /app --entrypoint '["node","/app/dist/index.js"]' "$c"
  "${b[@]}" commit -q --format oci "$c" bench-app >/dev/null
  "${b[@]}" push -q --tls-verify=false bench-app "docker://$REG/bench/buildah:latest"
}


floor() { tar -C "$work/newfiles" --sort=name -cf - . | gzip -6 -n | sha256sum >/dev/null; }
# graft's other compressor, zstd (level 3, one thread), against its own floor
floor_zstd() { tar -C "$work/newfiles" --sort=name -cf - . | zstd -3 -T1 -q -c | sha256sum >/dev/null; }
graft_build_zstd() {
  (cd "$work" && "$GRAFT" build -q --json --cache-dir "$work/graft-cache-zstd" --insecure-registry "$REG" \
    --set compression=zstd --base "docker://$REG/bench/base:latest" --to "docker://$REG/bench/app-zstd:$1")
}
export -f graft_build graft_build_zstd buildah_job floor floor_zstd

for run in $(seq 1 "$RUNS"); do
  log "run $run/$RUNS"
  REGDIR=$work/reg-$run
  start_registry "$REGDIR"
  rm -rf "$work/graft-cache"
  measure cold graft_build cold
  if [ ! -d "$work/newfiles" ]; then
    # exactly the files graft added (node + closure, node_modules, dist), for the floor and buildah
    skopeo copy -q --src-tls-verify=false "docker://$REG/bench/app:cold" "oci:$work/app-oci:latest"
    nbase=$(skopeo inspect --raw --tls-verify=false "docker://$REG/bench/base:latest" | jq -r '.manifests[0].digest' \
      | xargs -I{} skopeo inspect --raw --tls-verify=false "docker://$REG/bench/base@{}" | jq '.layers | length')
    mkdir -p "$work/newfiles"
    man=$(jq -r '.manifests[0].digest' "$work/app-oci/index.json" | cut -d: -f2)
    for l in $(jq -r ".layers[$nbase:][].digest" "$work/app-oci/blobs/sha256/$man" | cut -d: -f2); do
      tar -C "$work/newfiles" --numeric-owner -xzf "$work/app-oci/blobs/sha256/$l"
    done
  fi
  measure floor floor
  measure floor-zstd floor_zstd
  rm -rf "$work/graft-cache-zstd"
  measure cold-zstd graft_build_zstd cold
  echo "// changed in run $run" >> "$work/dist/m1/f1.js"
  measure warm graft_build warm
  measure noop graft_build warm
  rm -rf "$work/buildah"
  measure buildah buildah_job
  # the transfer alone, of the image graft built, into an empty registry (it has only the base)
  REGDIR=$work/reg-$run-skopeo
  start_registry "$REGDIR"
  measure skopeo skopeo copy -q --dest-tls-verify=false "oci:$work/app-oci:latest" "docker://$REG/bench/skopeo-$run:latest"
done

if [ "$BIG" = 1 ]; then
  big=$CACHE/big-v1
  if [ ! -f "$big/.complete" ]; then
    log "generating 1 GiB of new content in $big"
    rm -rf "$big.tmp" && mkdir -p "$big.tmp"
    # half incompressible (random), half compressible (base64 text), in 16 MiB files
    for i in $(seq 1 32); do head -c 16M /dev/urandom > "$big.tmp/r$i.bin"; done
    for i in $(seq 1 32); do head -c 12M /dev/urandom | base64 -w 120 > "$big.tmp/t$i.txt"; done
    touch "$big.tmp/.complete" && mv "$big.tmp" "$big"
  fi
  printf 'base: oci:%s/base:latest\nplatforms: [linux/amd64]\nlayers:\n  - { name: big, from: %s, to: /data }\n' \
    "$images" "$big" > "$work/big.yaml"
  rm -rf "$work/graft-cache"
  measure big1g "$GRAFT" build -q --json -f "$work/big.yaml" --cache-dir "$work/graft-cache" --allow-outside "$big" \
    --to "oci:$work/big-oci:latest"
fi

# --- report ------------------------------------------------------------------------------------
median() { # median SCENARIO COLUMN
  awk -v s="$1" -v c="$2" '$1 == s {print $c}' "$work/results" | sort -g \
    | awk '{v[NR] = $1} END {if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
newbytes=$(du -sb --apparent-size "$work/newfiles" | cut -f1)
table=$work/table.md
{
  echo "| scenario | wall s (median of $RUNS) | peak RSS MiB | uploaded (registry growth) | uploaded (graft --json) |"
  echo "|---|---|---|---|---|"
  for s in floor cold warm noop buildah skopeo floor-zstd cold-zstd big1g; do
    grep -q "^$s " "$work/results" || continue
    printf '| %s | %.2f | %.0f | %s | %s |\n' "$s" "$(median $s 2)" "$(awk -v k="$(median $s 3)" 'BEGIN {print k / 1024}')" \
      "$(numfmt --to=iec --suffix=B "$(median $s 4)")" "$(median $s 5)"
  done
  echo
  echo "- graft cold / floor: **$(ratio "$(median cold 2)" "$(median floor 2)")** (target ≤ 1.3)"
  echo "- graft cold / buildah: **$(ratio "$(median cold 2)" "$(median buildah 2)")** (target < 1)"
  echo "- warm / cold: **$(ratio "$(median warm 2)" "$(median cold 2)")** (target ≤ 0.15)"
  echo "- no-op upload: **$(median noop 5) bytes** (target 0)"
  echo "- with \`compression: zstd\`: cold / zstd floor **$(ratio "$(median cold-zstd 2)" "$(median floor-zstd 2)")**, cold / buildah **$(ratio "$(median cold-zstd 2)" "$(median buildah 2)")**, warm / cold-zstd **$(ratio "$(median warm 2)" "$(median cold-zstd 2)")**"
  echo "- new content: $(numfmt --to=iec --suffix=B "$newbytes") in $(find "$work/newfiles" | wc -l) paths"
} > "$table"
machine="$(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), \
$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) RAM, \
$(java -version 2>&1 | head -1), $(buildah --version), $(skopeo --version)"
load=$(cut -d' ' -f1-3 /proc/loadavg)
cat "$table"
echo "machine: $machine; load average at the end: $load"
echo "raw results (scenario seconds rss_kib registry_growth json_uploaded):"
cat "$work/results"
if [ "$WRITE" = 1 ]; then
  section=$work/section.md
  {
    echo "<!-- bench/run.sh: generated, do not edit by hand -->"
    echo "## Build + push: graft vs the floor and buildah (\`bench/run.sh\`)"
    echo
    echo "Measured $(date -u +%Y-%m-%d) on $machine; load average at the end $load."
    echo
    cat "$table"
    echo "<!-- /bench/run.sh -->"
  } > "$section"
  "$root/bench/section.sh" bench/run.sh "$section"
  log "updated BENCHMARKS.md"
fi
