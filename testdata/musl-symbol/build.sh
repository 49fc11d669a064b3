#!/usr/bin/env bash
# Builds getname, a dynamically linked musl program that calls pthread_getname_np (new in musl
# 1.2.3), with musl-gcc (Debian's musl-tools, musl 1.2.3) for x86_64 Linux, into a cache directory:
#   usage: build.sh CACHE_DIR
# Prints the directory holding it. The output directory is named by the hash of the source, this
# script and the musl it links against, so an edit rebuilds and a cached build is reused; it is
# built in a temp dir and renamed into place, so a reader never sees half a build.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="$1"
command -v musl-gcc >/dev/null || { echo "build.sh: musl-gcc not found (apt-get install musl-tools)" >&2; exit 2; }
specs="$(sed -n 's/.*-specs "\([^"]*\)".*/\1/p' "$(command -v musl-gcc)")"
musl_libc="$(dirname "${specs:-/usr/lib/x86_64-linux-musl/musl-gcc.specs}")/libc.so"
key="$(cat "$here/getname.c" "$here/build.sh" "$musl_libc" | sha256sum | cut -c1-16)"
out="$cache/musl-symbol/$key"
if [ ! -f "$out/getname" ]; then
  mkdir -p "$cache/musl-symbol"
  tmp="$(mktemp -d "$cache/musl-symbol/.tmp.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  musl-gcc -std=c11 -O2 -Wl,--build-id=none -o "$tmp/getname" "$here/getname.c"
  rm -rf "$out"
  mv "$tmp" "$out"
  chmod 755 "$out"
fi
printf '%s\n' "$out"
