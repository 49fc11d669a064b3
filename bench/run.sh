#!/usr/bin/env bash
# End-to-end build+push benchmark on workload W1 (bench/w1.sh: Alpine 3.15 base, node 22 with its
# glibc closure from a builder, node_modules with a compiled better-sqlite3, a 3000-file dist/),
# against a real local registry, with the floors and peers measured in the same run:
#   floor-pigz   tar c | pigz -6 -p2 | sha256sum      the two-core gzip floor (what cold gzip is judged by)
#   floor-gzip   tar c | gzip -6 -n | sha256sum       one core (the floor of earlier sessions)
#   floor-zstd3  tar c | zstd -3 -T2 | sha256sum      the two-core zstd floor; floor-zstd9 the same at -9
#   cold         empty local cache, registry holds only the base (gzip; cold-zstd3, cold-zstd9 likewise)
#   fresh        empty local cache, the registry already holds this image and its build cache
#                (a CI runner's usual case); fresh-changed: the same with one app file changed;
#                fresh-nocds: fresh without the class-data/AOT archive (GRAFT_CDS=0), as on a runner
#                that has never run graft and keeps nothing
#   warm         one dist/ file changed, local cache warm; noop: the same inputs again
#   warm25, noop25 (and fresh25)   the same with bin/graft on the newest JDK present (JDK 25:
#                AOT cache) when one is installed
#   buildah      the same job daemonlessly (from, copy, commit, push; vfs storage)
#   skopeo       copying graft's finished image into an empty registry (the transfer alone)
#   big1g        one layer of 1 GiB of new files into an OCI layout: peak RSS
# Scenarios alternate within each round; medians over rounds are reported, with the machine's
# load average (1 min) when each measurement started. One command:
#   bench/run.sh [-n RUNS] [--big] [--no-write] [--render RESULTS]
#     -n RUNS           rounds (default 3)
#     --big             also the 1 GiB scenario
#     --no-write        print the table only; do not update BENCHMARKS.md
#     --render RESULTS  measure nothing: make the report from the raw results an earlier run printed
# Needs: docker-registry, skopeo, buildah (apt-get installed when root), npm, jq, java, pigz, zstd,
# and what bench/w1.sh needs. Benchmarks are not tests: nothing here asserts a time.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
RUNS=3 BIG=0 WRITE=1 RENDER=
while [ $# -gt 0 ]; do
  case $1 in
    -n) RUNS=$2; shift ;;
    --big) BIG=1 ;;
    --no-write) WRITE=0 ;;
    --render) RENDER=$2; shift ;;
    *) echo "usage: bench/run.sh [-n RUNS] [--big] [--no-write] [--render RESULTS]" >&2; exit 2 ;;
  esac
  shift
done
CACHE=${GRAFT_BENCH_CACHE:-$HOME/.cache/graft-bench}
# The newest JDK present besides the default java (bin/graft then uses its AOT cache).
JDK_NEW=
for j in /usr/lib/jvm/temurin-25-jdk-* /usr/lib/jvm/*-25-* /usr/lib/jvm/*-26-*; do
  [ -x "$j/bin/java" ] && { JDK_NEW=$j; break; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/graft-bench.XXXXXX"); export work
REG_PID=""
cleanup() { [ -n "$REG_PID" ] && kill "$REG_PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
log() { echo "bench: $*" >&2; }
if [ -n "$RENDER" ]; then
  cp "$RENDER" "$work/results"
  RUNS=$(grep -c '^cold ' "$work/results")
else # measure (to the report below)
for tool in docker-registry skopeo npm jq java curl zstd pigz; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install it)" >&2; exit 1; }
done
if ! command -v buildah >/dev/null; then
  [ "$(id -u)" = 0 ] || { echo "bench: buildah is missing (apt-get install buildah)" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq buildah >/dev/null
fi

# --- inputs (prepared once) ------------------------------------------------------------------
[ -f "$root/target/graft.jar" ] || (cd "$root" && mvn -q -DskipTests package)
# the launcher users run (bin/graft: serial GC, class-data sharing or an AOT cache, JIT choice)
GRAFT=$root/bin/graft GRAFT_JAR=$root/target/graft.jar; export GRAFT GRAFT_JAR JDK_NEW
w1=$("$root/bench/w1.sh")
cat > "$work/graft.yaml" <<EOF
builder: oci:$w1/builder.oci:latest
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
cp -a "$w1/app/node_modules" "$w1/app/dist" "$work/"
# Let the copies settle: graft remembers a file's hash only when its times are 2 s older than the
# hashing (git's racy-write rule), so a cold build started at once would leave the first warm
# rebuild rehashing every file, which no developer's tree (edited file aside) looks like.
sleep 2

# --- a real registry, fresh per round --------------------------------------------------------
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
      skopeo copy -q --all --dest-tls-verify=false "oci:$w1/base.oci:latest" "docker://$REG/bench/base:latest"
      return
    fi
    kill "$REG_PID" 2>/dev/null || true
  done
  echo "bench: docker-registry did not start: $(cat "$dir/log")" >&2; exit 1
}
stored() { du -sb "$REGDIR/storage" | cut -f1; }

# measure NAME CMD...: appends "NAME seconds peak_rss_kib registry_growth json_uploaded load1 cache_uploaded"
measure() {
  local name=$1; shift
  local before after t0 t1 up load cup
  before=$(stored)
  load=$(cut -d' ' -f1 /proc/loadavg)
  t0=$(date +%s.%N)
  # through bash so that the shell functions below can be measured too
  /usr/bin/time -v -o "$work/time.txt" bash -c '"$@"' measured "$@" > "$work/out.json" 2>"$work/err.txt" \
    || { echo "bench: $name failed:" >&2; cat "$work/err.txt" >&2; exit 1; }
  t1=$(date +%s.%N)
  after=$(stored)
  up=$(jq -r '.blobs.bytesUploaded // "-"' "$work/out.json" 2>/dev/null || true)
  cup=$(jq -r '.buildCache.bytesUploaded // "-"' "$work/out.json" 2>/dev/null || true)
  up=${up:--} cup=${cup:--} # floors print no JSON: a "-" keeps the columns in place
  echo "$name $(echo "$t1 - $t0" | bc) $(awk -F': ' '/Maximum resident/ {print $2}' "$work/time.txt") \
$((after - before)) $up $load $cup" >> "$work/results"
}
graft_build() { # graft_build CACHE_DIR TAG [FLAG...]: build the app onto the registry's base and push it
  local cache=$1 tag=$2; shift 2
  (cd "$work" && "$GRAFT" build -q --json --cache-dir "$cache" --insecure-registry "$REG" \
    --base "docker://$REG/bench/base:latest" --to "docker://$REG/bench/app:$tag" "$@")
}
graft_new() { JAVA_HOME=$JDK_NEW graft_build "$@"; } # the same on the newest JDK
graft_nocds() { GRAFT_CDS=0 graft_build "$@"; }
graft_zstd() { # graft_zstd LEVEL: a cold zstd build into its own repository
  local level=$1
  (cd "$work" && "$GRAFT" build -q --json --cache-dir "$work/cache-zstd$level" --insecure-registry "$REG" \
    --set compression=zstd --set compressionLevel="$level" --base "docker://$REG/bench/base:latest" \
    --to "docker://$REG/bench/app-zstd$level:cold")
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
newtar() { tar -C "$work/newfiles" --sort=name -cf - .; }
floor_pigz() { newtar | pigz -6 -p2 -n | sha256sum >/dev/null; }
floor_gzip() { newtar | gzip -6 -n | sha256sum >/dev/null; }
floor_zstd() { newtar | zstd "-$1" -T2 -q -c | sha256sum >/dev/null; }
change() { echo "// changed: $1" >> "$work/dist/m1/f1.js"; }
export -f graft_build graft_new graft_nocds graft_zstd buildah_job newtar floor_pigz floor_gzip floor_zstd

# Class-data and AOT archives are made by a jar's first build on each JVM once graft's cds
# directory exists (a machine's very first build makes only the directory): make them before measuring.
# The archive holds what its run loaded, so that run is a cold build+push like a user's, with the
# registry build cache on (as in every scenario measured): trained with --no-remote-cache, the
# cache's read and write paths stayed out of the AOT cache (a no-op then loaded 291 classes outside
# it, not 247) and cost ~6% more CPU on JDK 25. Each JVM's run writes its own cache tag, so both
# runs are cold builds.
mkdir -p "${XDG_CACHE_HOME:-$HOME/.cache}/graft/cds"
log "preparing: class-data archive (JDK $(java -version 2>&1 | head -1 | cut -d'"' -f2))${JDK_NEW:+ and AOT cache ($JDK_NEW)}"
REGDIR=$work/reg-prep
start_registry "$REGDIR"
graft_build "$work/cache-prep" prep >/dev/null
[ -n "$JDK_NEW" ] && { rm -rf "$work/cache-prep"; graft_new "$work/cache-prep" prep --cache-to "docker://$REG/bench/prep-new" >/dev/null; }
rm -rf "$work/cache-prep"

for run in $(seq 1 "$RUNS"); do
  log "round $run/$RUNS (load $(cut -d' ' -f1-3 /proc/loadavg))"
  REGDIR=$work/reg-$run
  start_registry "$REGDIR"
  rm -rf "$work/cache" "$work/cache-zstd"*
  measure cold graft_build "$work/cache" "cold-$run"
  if [ ! -d "$work/newfiles" ]; then
    # exactly the files graft added (node + closure, node_modules, dist), for the floors and buildah
    skopeo copy -q --src-tls-verify=false "docker://$REG/bench/app:cold-$run" "oci:$work/app-oci:latest"
    nbase=$(skopeo inspect --raw --tls-verify=false "docker://$REG/bench/base:latest" | jq -r '.manifests[0].digest' \
      | xargs -I{} skopeo inspect --raw --tls-verify=false "docker://$REG/bench/base@{}" | jq '.layers | length')
    mkdir -p "$work/newfiles"
    man=$(jq -r '.manifests[0].digest' "$work/app-oci/index.json" | cut -d: -f2)
    for l in $(jq -r ".layers[$nbase:][].digest" "$work/app-oci/blobs/sha256/$man" | cut -d: -f2); do
      tar -C "$work/newfiles" --numeric-owner -xzf "$work/app-oci/blobs/sha256/$l"
    done
  fi
  measure floor-pigz floor_pigz
  measure floor-gzip floor_gzip
  measure floor-zstd3 floor_zstd 3
  measure cold-zstd3 graft_zstd 3
  measure floor-zstd9 floor_zstd 9
  measure cold-zstd9 graft_zstd 9
  # fresh runners: empty local caches against the registry that holds the image and its cache
  fresh=(fresh fresh-nocds); [ -n "$JDK_NEW" ] && fresh+=(fresh25)
  [ $((run % 2)) = 0 ] && fresh=("${fresh[@]:1}" "${fresh[0]}") # alternate the order
  for f in "${fresh[@]}"; do
    rm -rf "$work/cache-$f"
    case $f in
      fresh) measure fresh graft_build "$work/cache-$f" "fresh-$run" ;;
      fresh-nocds) measure fresh-nocds graft_nocds "$work/cache-$f" "fresh-$run" ;;
      fresh25) measure fresh25 graft_new "$work/cache-$f" "fresh-$run" ;;
    esac
  done
  change "fresh runner, round $run"
  rm -rf "$work/cache-fresh-changed"
  measure fresh-changed graft_build "$work/cache-fresh-changed" "fresh-changed-$run"
  # warm and no-op rebuilds in the cold build's cache, on the default JDK and the newest
  jdks=(17); [ -n "$JDK_NEW" ] && jdks+=(25)
  [ $((run % 2)) = 0 ] && jdks=("${jdks[@]:1}" "${jdks[0]}")
  for j in "${jdks[@]}"; do
    change "warm $j, round $run"
    if [ "$j" = 17 ]; then
      measure warm graft_build "$work/cache" "warm-$run"
      measure noop graft_build "$work/cache" "warm-$run"
    else
      measure warm25 graft_new "$work/cache" "warm25-$run"
      measure noop25 graft_new "$work/cache" "warm25-$run"
    fi
  done
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
  printf 'base: oci:%s/base.oci:latest\nplatforms: [linux/amd64]\nlayers:\n  - { name: big, from: %s, to: /data }\n' \
    "$w1" "$big" > "$work/big.yaml"
  rm -rf "$work/cache"
  measure big1g "$GRAFT" build -q --json -f "$work/big.yaml" --cache-dir "$work/cache" --allow-outside "$big" \
    --to "oci:$work/big-oci:latest"
fi

# what graft adds to the base, for the report (and a later --render)
echo "newcontent $(du -sb --apparent-size "$work/newfiles" | cut -f1) $(find "$work/newfiles" | wc -l)" >> "$work/results"
fi # measure

# --- report ------------------------------------------------------------------------------------
median() { # median SCENARIO COLUMN
  awk -v s="$1" -v c="$2" '$1 == s {print $c}' "$work/results" | sort -g \
    | awk '{v[NR] = $1} END {if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b == "-" || b == 0 || a == "-") print "-"; else printf "%.2f", a / b}'; }
has() { grep -q "^$1 " "$work/results"; }
s2() { awk -v v="$1" 'BEGIN {if (v == "-") print "-"; else printf "%.2f", v}'; } # seconds, 2 decimals
newbytes=$(awk '$1 == "newcontent" {print $2; exit}' "$work/results")
newpaths=$(awk '$1 == "newcontent" {print $3; exit}' "$work/results")
table=$work/table.md
{
  echo "| scenario | wall s (median of $RUNS) | peak RSS MiB | uploaded (registry growth) | uploaded (graft --json) | build cache uploaded | load (1 min) |"
  echo "|---|---|---|---|---|---|---|"
  for s in floor-pigz floor-gzip cold fresh fresh-nocds fresh25 fresh-changed warm noop warm25 noop25 \
      floor-zstd3 cold-zstd3 floor-zstd9 cold-zstd9 buildah skopeo big1g; do
    has "$s" || continue
    printf '| %s | %.2f | %.0f | %s | %s | %s | %s |\n' "$s" "$(median "$s" 2)" \
      "$(awk -v k="$(median "$s" 3)" 'BEGIN {print k / 1024}')" \
      "$(numfmt --to=iec --suffix=B "$(median "$s" 4)")" "$(median "$s" 5)" "$(median "$s" 7)" "$(median "$s" 6)"
  done
  echo
  echo "Targets (ratios of medians, floors measured in the same rounds):"
  echo "- cold gzip / \`tar | pigz -6 -p2 | sha256sum\`: **$(ratio "$(median cold 2)" "$(median floor-pigz 2)")** (target ≤ 1.25); cold / one-core \`gzip -6\`: $(ratio "$(median cold 2)" "$(median floor-gzip 2)"); cold / buildah: $(ratio "$(median cold 2)" "$(median buildah 2)")"
  echo "- cold zstd-3 / \`tar | zstd -3 -T2 | sha256sum\`: **$(ratio "$(median cold-zstd3 2)" "$(median floor-zstd3 2)")** (target ≤ 1.5); zstd-9: **$(ratio "$(median cold-zstd9 2)" "$(median floor-zstd9 2)")**"
  echo "- fresh runner, unchanged inputs: **$(s2 "$(median fresh 2)") s**, $(median fresh 5) bytes uploaded (target ≤ 1.5 s, 0 bytes); without any class-data archive $(s2 "$(median fresh-nocds 2)") s${JDK_NEW:+; on the newest JDK $(s2 "$(median fresh25 2)") s}"
  echo "- fresh runner, one app file changed: **$(s2 "$(median fresh-changed 2)") s** (target ≤ warm + 0.5 = $(awk -v w="$(s2 "$(median warm 2)")" 'BEGIN {printf "%.2f", w + 0.5}') s)"
  echo "- warm: **$(s2 "$(median warm 2)") s** on JDK 17${JDK_NEW:+, **$(s2 "$(median warm25 2)") s** on the newest JDK} (target ≤ 0.5 s on the newest); no-op: **$(s2 "$(median noop 2)") s**${JDK_NEW:+, **$(s2 "$(median noop25 2)") s**} (target ≤ 0.4 s), $(median noop 5) bytes uploaded"
  has big1g && echo "- peak RSS for 1 GiB of new content: **$(awk -v k="$(median big1g 3)" 'BEGIN {printf "%.0f", k / 1024}') MiB** (target ≤ 300 MB)"
  [ -n "$newbytes" ] && echo "- new content: $(numfmt --to=iec --suffix=B "$newbytes") in $newpaths paths"
} > "$table"
machine="$(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), \
$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) RAM, \
$(java -version 2>&1 | head -1)${JDK_NEW:+ and $("$JDK_NEW/bin/java" -version 2>&1 | head -1)}, $(buildah --version), \
$(skopeo --version), $(pigz --version 2>&1), $(zstd --version | head -1)"
load=$(cut -d' ' -f1-3 /proc/loadavg)
cat "$table"
echo "machine: $machine; load average at the end: $load"
echo "raw results (scenario seconds rss_kib registry_growth json_uploaded load1 cache_uploaded):"
cat "$work/results"
if [ "$WRITE" = 1 ]; then
  section=$work/section.md
  {
    echo "<!-- bench/run.sh: generated, do not edit by hand -->"
    echo "## Build + push on W1: graft vs the two-core floors and buildah (\`bench/run.sh\`)"
    echo
    echo "Measured $(date -u +%Y-%m-%d) on $machine; $RUNS rounds; load average at the end $load."
    echo
    cat "$table"
    echo
    echo "<details><summary>raw results (scenario, seconds, peak RSS KiB, registry growth, bytes uploaded, load, build cache bytes)</summary>"
    echo
    echo '```'
    cat "$work/results"
    echo '```'
    echo "</details>"
    echo "<!-- /bench/run.sh -->"
  } > "$section"
  "$root/bench/section.sh" bench/run.sh "$section"
  log "updated BENCHMARKS.md"
fi
