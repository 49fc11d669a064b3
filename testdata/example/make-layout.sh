#!/usr/bin/env bash
# Makes testdata/example/oci (or the directory given as $1, which is replaced): a tiny two-platform OCI image
# layout (a few KB) used by README's first command. One layer holding /hello.txt, shared by a
# linux/amd64 and a linux/arm64 image. Reproducible: sorted tar entries, fixed mtime, numeric
# 0:0 owners, gzip without name/time; a test checks the committed layout matches this script.
set -euo pipefail
out=$(realpath -m "${1:-$(dirname "$0")/oci}")
rm -rf "$out" && mkdir -p "$out/blobs/sha256"
work=$(mktemp -d) && trap 'rm -rf "$work"' EXIT

put() { # put FILE -> prints "sha256:<hex> <size>" and stores FILE as a blob
  local hex size
  hex=$(sha256sum "$1" | cut -d' ' -f1)
  size=$(stat -c %s "$1")
  cp "$1" "$out/blobs/sha256/$hex"
  echo "sha256:$hex $size"
}

mkdir "$work/rootfs"
printf 'Hello from graft: this image was copied without a daemon.\n' > "$work/rootfs/hello.txt"
chmod 0644 "$work/rootfs/hello.txt"
tar --sort=name --mtime=@1 --owner=0 --group=0 --numeric-owner --format=ustar \
  -C "$work/rootfs" -cf "$work/layer.tar" hello.txt
diff_id="sha256:$(sha256sum "$work/layer.tar" | cut -d' ' -f1)"
gzip -n -9 -c "$work/layer.tar" > "$work/layer.tar.gz"
read -r layer_digest layer_size < <(put "$work/layer.tar.gz")

entries=()
for platform in amd64 arm64; do
  variant=""
  [ "$platform" = arm64 ] && variant=',"variant":"v8"'
  printf '{"architecture":"%s","config":{"Cmd":["/hello.txt"],"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]},"created":"1970-01-01T00:00:01Z","os":"linux","rootfs":{"diff_ids":["%s"],"type":"layers"}%s}' \
    "$platform" "$diff_id" "$variant" > "$work/config-$platform.json"
  read -r config_digest config_size < <(put "$work/config-$platform.json")
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":%s}]}' \
    "$config_digest" "$config_size" "$layer_digest" "$layer_size" > "$work/manifest-$platform.json"
  read -r manifest_digest manifest_size < <(put "$work/manifest-$platform.json")
  entries+=("$(printf '{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":%s,"platform":{"architecture":"%s","os":"linux"%s}}' \
    "$manifest_digest" "$manifest_size" "$platform" "$variant")")
done

printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[%s]}' \
  "$(IFS=,; echo "${entries[*]}")" > "$work/index.json"
read -r index_digest index_size < <(put "$work/index.json")

printf '{"imageLayoutVersion":"1.0.0"}' > "$out/oci-layout"
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"latest"}}]}' \
  "$index_digest" "$index_size" > "$out/index.json"
echo "wrote $out: index $index_digest"
