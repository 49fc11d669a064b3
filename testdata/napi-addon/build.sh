#!/usr/bin/env bash
# Builds the test addons napi10.node and declares10.node from their .c files, for x86_64 Linux,
# into a cache directory:
#   usage: build.sh NODE_API_HEADERS_INCLUDE_DIR CACHE_DIR
# Prints the directory holding both. The output directory is named by the hash of the source,
# this script and the headers, so an edit rebuilds and a cached build is reused; it is built in
# a temp dir and renamed into place, so a reader never sees half a build.
# Freestanding and without libc (-nostdlib): the addons call only Node-API functions, so only
# gcc itself is needed (no libc6-dev), and the result does not depend on the host's libc.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
headers="$1" cache="$2"
key="$(cat "$here/napi10.c" "$here/declares10.c" "$here/build.sh" "$headers/node_api.h" "$headers/js_native_api.h" \
  "$headers/node_api_types.h" "$headers/js_native_api_types.h" | sha256sum | cut -c1-16)"
out="$cache/napi-addon/$key"
if [ ! -f "$out/declares10.node" ]; then
  mkdir -p "$cache/napi-addon"
  tmp="$(mktemp -d "$cache/napi-addon/.tmp.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  for addon in napi10 declares10; do
    gcc -std=c11 -O2 -fPIC -shared -ffreestanding -nostdlib -fvisibility=hidden \
      -DNAPI_VERSION=10 -DBUILDING_NODE_EXTENSION -I"$headers" \
      -Wl,--build-id=none -o "$tmp/$addon.node" "$here/$addon.c"
  done
  rm -rf "$out"
  mv "$tmp" "$out"
  chmod 755 "$out"
fi
printf '%s\n' "$out"
