#!/bin/sh
# Builds a real Debian rootfs tarball with debootstrap, for tests that compare graft's merged
# filesystem view with umoci's. Slow (network), so tests cache the result outside the repo.
#   usage: make-rootfs.sh SUITE VARIANT OUT.tar [ARCH] [INCLUDE]
# INCLUDE is a comma-separated list of extra packages (e.g. g++ for a builder that compiles
# native addons), given to debootstrap's --include.
# With ARCH (arm64, armhf) only debootstrap's first stage runs (--foreign: packages unpacked,
# not configured), since the second stage needs binfmt_misc; the libraries and the loader are
# all there, which is what verification and running one program under qemu-user need.
# The mirror is GRAFT_DEBIAN_MIRROR, else the machine's apt mirror.
# The tar keeps numeric owners and xattrs, as an image layer would.
set -eu
suite=$1 variant=$2 out=$3 arch=${4:-} include=${5:-}
mirror=${GRAFT_DEBIAN_MIRROR:-$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n1)}
mirror=${mirror:-http://deb.debian.org/debian}
work=$(mktemp -d "${TMPDIR:-/tmp}/graft-debootstrap.XXXXXX")
trap 'rm -rf "$work"' EXIT
foreign=""
[ -n "$arch" ] && foreign="--arch=$arch --foreign"
[ -n "$include" ] && foreign="$foreign --include=$include"
# shellcheck disable=SC2086
debootstrap --variant="$variant" $foreign "$suite" "$work/rootfs" "$mirror" >"$work/log" 2>&1 || {
  tail -n 30 "$work/log" >&2; exit 1; }
# Leftovers that differ run to run and are not part of an image.
rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/log/bootstrap.log"
# Written beside OUT and renamed, so a reader never sees half a tarball.
tar --create --file "$out.tmp.$$" --directory "$work/rootfs" --numeric-owner --xattrs \
  --xattrs-include='*' --sort=name .
mv "$out.tmp.$$" "$out"
