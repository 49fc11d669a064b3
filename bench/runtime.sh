#!/usr/bin/env bash
# Measures (does not assert) the example HTTP service (testdata/service) under podman, the
# runtime targets of the seeds: image size (< 200 MB), time from `podman run` to a healthy
# /health (< 5 s) and the container's peak RSS (< 120 MB). Beside it, the same app built the
# usual Dockerfile way — Debian bookworm (debootstrap minbase, the nearest to node:20-bookworm-slim
# that can be made here: no Docker Hub) plus the official node binary, node_modules and the server
# COPYed in by `podman build` — measured the same way.
#   bench/runtime.sh [--runs N] [--write]     --write replaces the section in BENCHMARKS.md
# Every piece of podman state lives in a temp dir (scripts/containers.conf, own store). Needs:
# podman, runc, curl, python3, java, maven, debootstrap (first run: the Debian rootfs is cached).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
RUNS=5 WRITE=0
while [ $# -gt 0 ]; do
  case $1 in --runs) RUNS=$2; shift 2 ;; --write) WRITE=1; shift ;; *) echo "usage: $0 [--runs N] [--write]" >&2; exit 2 ;; esac
done
log() { echo "bench: $*" >&2; }
for tool in podman runc curl java; do command -v $tool >/dev/null || { echo "bench: $tool is missing" >&2; exit 2; }; done

work=$(mktemp -d "${TMPDIR:-/tmp}/graft-bench-runtime.XXXXXX")
pm() {
  CONTAINERS_CONF="$work/containers.conf" CONTAINERS_REGISTRIES_CONF="$work/registries.conf" \
    podman --root "$work/root" --runroot "$work/run" --tmpdir "$work/tmp" --network-config-dir "$work/cni" \
    --storage-driver overlay "$@"
}
cleanup() {
  pm rm -af -t 0 >/dev/null 2>&1 || true
  grep -o " $work[^ ]*" /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/cni"
# scripts/containers.conf with file locks in $work: podman's default lock is one host-wide shared
# memory segment, which a fresh store frees entirely when it first starts
sed 's/^\[engine\]$/[engine]\nlock_type = "file"/' "$root/scripts/containers.conf" > "$work/containers.conf"
echo 'unqualified-search-registries = []' > "$work/registries.conf"

[ -f "$root/target/graft.jar" ] || (cd "$root" && mvn -q -B -ntp -DskipTests package)
images=$("$root/testdata/example/make-images.sh" | tail -1)
graft() { java -jar "$root/target/graft.jar" "$@"; }

# --- the images ---------------------------------------------------------------------------------
log "graft build of testdata/service"
graft build -q -f "$root/testdata/service/graft.yaml" --platform linux/amd64 --cache-dir "$work/cache" \
  --to "oci-archive:$work/graft.tar:service"
pm pull -q "oci-archive:$work/graft.tar" >/dev/null
pm tag localhost/service:latest localhost/bench/graft:latest

log "Dockerfile build of the same app on Debian bookworm"
rootfs="${GRAFT_TESTDATA_CACHE:-$HOME/.cache/graft-testdata}/debian/bookworm-minbase.tar"
[ -f "$rootfs" ] || "$root/testdata/debian/make-rootfs.sh" bookworm minbase "$rootfs" ""
pm import -q "$rootfs" localhost/bench/debian:bookworm >/dev/null
ctx=$work/ctx && mkdir -p "$ctx"
graft extract "oci:$images/builder:latest" /usr/local/bin/node --platform linux/amd64 --to "$ctx" >/dev/null
graft extract "oci:$images/builder:latest" /build/node_modules --platform linux/amd64 --to "$ctx" >/dev/null
cp -r "$root/testdata/service/server" "$ctx/server"
cat > "$ctx/Dockerfile" <<'EOF'
FROM localhost/bench/debian:bookworm
COPY usr/local/bin/node /usr/local/bin/node
COPY build/node_modules /app/node_modules
COPY server /app/server
ENV NODE_ENV=production PORT=8099
WORKDIR /app
USER 65534:65534
EXPOSE 8099
HEALTHCHECK --interval=2s --timeout=3s --start-period=1s --retries=3 CMD ["node", "/app/server/healthcheck.js"]
ENTRYPOINT ["node", "/app/server/index.js"]
EOF
pm build -q --format docker -t localhost/bench/dockerfile:latest "$ctx" >/dev/null

# --- measurements -------------------------------------------------------------------------------
now() { date +%s.%N; }
results=$work/results
measure() { # measure NAME IMAGE: one run -> "NAME health_s healthy_s vmhwm_kib cgroup_max_kib" in $results
  local name=$1 image=$2 t0 id port pid t_health="" t_healthy="" cg
  t0=$(now)
  id=$(pm run -d -p 127.0.0.1::8099 "$image" 2>/dev/null)
  port=$(pm port "$id" 8099/tcp | sed 's/.*://')
  for _ in $(seq 1 600); do
    if [ -z "$t_health" ] && [ "$(curl -s -m 1 "http://127.0.0.1:$port/health" 2>/dev/null)" = '{"status":"ok"}' ]; then
      t_health=$(awk -v a="$t0" -v b="$(now)" 'BEGIN {print b - a}')
    fi
    # no systemd here, so no healthcheck timers: run podman's check on demand, as the timer would
    if [ -n "$t_health" ] && pm healthcheck run "$id" >/dev/null 2>&1; then
      t_healthy=$(awk -v a="$t0" -v b="$(now)" 'BEGIN {print b - a}')
      break
    fi
    sleep 0.05
  done
  [ -n "$t_healthy" ] || { log "$name never became healthy"; pm logs "$id" >&2; exit 1; }
  # a little traffic, then the peak: node's VmHWM and the container cgroup's max usage
  for _ in $(seq 1 200); do curl -s -o /dev/null "http://127.0.0.1:$port/health"; done
  pid=$(pm inspect -f '{{.State.Pid}}' "$id")
  cg=$(awk -F: '$2 ~ /(^|,)memory(,|$)/ {print $3}' "/proc/$pid/cgroup")
  echo "$name $t_health $t_healthy $(awk '/VmHWM/ {print $2}' "/proc/$pid/status") \
$(( $(cat "/sys/fs/cgroup/memory$cg/memory.max_usage_in_bytes" 2>/dev/null || echo 0) / 1024 ))" >> "$results"
  pm rm -f -t 2 "$id" >/dev/null
}
for i in $(seq 1 "$RUNS"); do
  log "run $i/$RUNS"
  measure graft localhost/bench/graft:latest
  measure dockerfile localhost/bench/dockerfile:latest
done

# --- report -------------------------------------------------------------------------------------
median() { # median NAME COLUMN
  awk -v s="$1" -v c="$2" '$1 == s {print $c}' "$results" | sort -g \
    | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
mb() { awk -v b="$1" 'BEGIN {printf "%.1f", b / 1000000}'; }
compressed() { # compressed IMAGE: sum of its layer blobs' sizes when pushed gzip-compressed
  rm -rf "$work/push"
  pm push -q --compress --format oci "$1" "oci:$work/push:latest" >/dev/null
  python3 - "$work/push" <<'PY'
import json, os, sys
d = sys.argv[1]
blob = lambda dg: json.load(open(os.path.join(d, "blobs", "sha256", dg.split(":")[1])))
m = blob(json.load(open(os.path.join(d, "index.json")))["manifests"][0]["digest"])
print(sum(l["size"] for l in m["layers"]))
PY
}
graft_compressed=$(python3 - "$work/graft.tar" <<'PY'
import json, sys, tarfile
t = tarfile.open(sys.argv[1])
blob = lambda d: json.load(t.extractfile("blobs/sha256/" + d.split(":")[1]))
index = json.load(t.extractfile("index.json"))
m = blob(index["manifests"][0]["digest"])
while "manifests" in m:
    m = blob(m["manifests"][0]["digest"])
print(sum(l["size"] for l in m["layers"]))
PY
)
docker_compressed=$(compressed localhost/bench/dockerfile:latest)
table=$work/table.md
{
  echo "| image | size unpacked (podman) | size compressed (layers) | \`podman run\` → /health ok, s | → podman healthy, s | peak RSS (node VmHWM) | container cgroup peak |"
  echo "|---|---|---|---|---|---|---|"
  for n in graft dockerfile; do
    img=localhost/bench/$n:latest
    printf '| %s | %s MB | %s MB | %.2f | %.2f | %.1f MiB | %.1f MiB |\n' \
      "$([ $n = graft ] && echo 'graft (Alpine 3.16 + grafted glibc node)' || echo 'Dockerfile (Debian bookworm minbase + node)')" \
      "$(mb "$(pm image inspect --format '{{.Size}}' "$img")")" \
      "$(mb "$([ $n = graft ] && echo "$graft_compressed" || echo "$docker_compressed")")" \
      "$(median $n 2)" "$(median $n 3)" "$(awk -v k="$(median $n 4)" 'BEGIN {print k / 1024}')" \
      "$(awk -v k="$(median $n 5)" 'BEGIN {print k / 1024}')"
  done
  echo
  echo "Targets (seed 004): image < 200 MB, \`podman run\` to healthy /health < 5 s, peak RSS < 120 MB."
  echo "Times and memory are medians of $RUNS runs each (graft's and the Dockerfile image's alternated)."
} > "$table"
machine="$(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(podman --version), $(runc --version | head -1)"
load=$(cut -d' ' -f1-3 /proc/loadavg)
cat "$table"
echo "machine: $machine; load average at the end: $load"
echo "raw (image health_s healthy_s vmhwm_kib cgroup_max_kib):"; cat "$results"
if [ "$WRITE" = 1 ]; then
  section=$work/section.md
  {
    echo "<!-- bench/runtime.sh: generated, do not edit by hand -->"
    echo "## Runtime: the example service under podman (\`bench/runtime.sh\`)"
    echo
    echo "Measured $(date -u +%Y-%m-%d) on $machine; load average at the end $load."
    echo "Time runs from invoking \`podman run -d\` (image already in the store) to the first"
    echo "\`GET /health\` answering \`{\"status\":\"ok\"}\`, then to the first \`podman healthcheck run\` passing"
    echo "(no systemd here: podman's check is run on demand). Peak RSS is read after start-up and 200"
    echo "requests: node's VmHWM (its whole resident peak, the mapped 99 MB node binary's touched pages"
    echo "included), and the container memory cgroup's max usage, which counts only pages first touched"
    echo "inside it: node's code pages, already in the page cache from earlier runs, are charged elsewhere."
    echo
    cat "$table"
    echo "<!-- /bench/runtime.sh -->"
  } > "$section"
  "$root/bench/section.sh" bench/runtime.sh "$section"
  log "updated BENCHMARKS.md"
fi
