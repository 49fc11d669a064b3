#!/usr/bin/env bash
# Makes the reference node_modules that graft's `from: npm` layout is compared with: real
# `npm ci --omit=dev --ignore-scripts --os=linux --cpu=CPU --libc=LIBC` (npm 11) with umask 022,
# run on a copy of DIR's package.json + package-lock.json, cached under
# $GRAFT_TESTDATA_CACHE/npm-ci/<sha256 of the lockfile>-linux-CPU-LIBC/ (renamed into place when
# complete, so an interrupted run leaves nothing). npm's own download cache sits beside it
# (npm-ci/npm-cache), so later runs are offline. The user's .npmrc is left out.
# Usage: npm-ci-tree.sh DIR CPU LIBC      prints the directory holding node_modules/
set -euo pipefail
dir=$(cd "$1" && pwd) cpu=$2 libc=$3
CACHE="${GRAFT_TESTDATA_CACHE:-$HOME/.cache/graft-testdata}"
key=$(cat "$dir/package-lock.json" "$dir/package.json" | sha256sum | cut -c1-16)
out="$CACHE/npm-ci/$key-linux-$cpu-$libc"
if [ -f "$out/.complete" ]; then echo "$out"; exit 0; fi
major=$(npm --version | cut -d. -f1)
if [ "$major" -lt 11 ]; then
  echo "npm-ci-tree.sh: npm $(npm --version) is too old: --os/--cpu/--libc for npm ci need npm 11 (npm install -g npm@11)" >&2
  exit 1
fi
mkdir -p "$CACHE/npm-ci"
tmp=$(mktemp -d "$CACHE/npm-ci/.tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cp "$dir/package.json" "$dir/package-lock.json" "$tmp/"
(cd "$tmp" && umask 022 && npm ci --omit=dev --ignore-scripts --os=linux --cpu="$cpu" --libc="$libc" \
  --no-audit --no-fund --update-notifier=false --userconfig /dev/null --cache "$CACHE/npm-ci/npm-cache" \
  --loglevel=error >/dev/null 2>"$tmp/npm.err") || { cat "$tmp/npm.err" >&2; exit 1; }
rm -f "$tmp/npm.err"
touch "$tmp/.complete"
rm -rf "$out"
mv "$tmp" "$out"
trap - EXIT
echo "$out"
