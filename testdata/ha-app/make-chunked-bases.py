#!/usr/bin/env python3
"""Makes Alpine minirootfs base images whose layers are zstd:chunked or eStargz, without graft.

usage: make-chunked-bases.py ALPINE_DIR VERSION OUT

Writes an OCI image layout at OUT with two multi-arch indexes (linux/amd64 + linux/arm64/v8):
  tag "zstd-chunked": the layer is a series of zstd frames (each a run of whole tar entries, made
      by the zstd command), then a skippable frame holding the table of contents and a footer skippable frame,
      with the annotations podman/containers-storage put on such a layer; media type ...tar+zstd.
  tag "estargz": the layer is one gzip member per tar entry, then the stargz.index.json entry with
      the tar's end in a member of its own, then the 51-byte footer (an empty gzip member whose
      extra field "SG" holds the TOC offset); media type ...tar+gzip, with the eStargz annotations.
Both decompress, read as plain zstd or gzip, to an ordinary tar: that is what a puller that knows
nothing of lazy pulling (docker, graft) sees, and what the config's diff_ids hash.
Needs: python3, the zstd command.
"""
import gzip
import hashlib
import io
import json
import os
import struct
import subprocess
import sys
import tarfile
import zlib

ARCHES = {"amd64": ("x86_64", None), "arm64": ("aarch64", "v8")}
SKIPPABLE = 0x184D2A50


def entries(tarball):
    """(TarInfo, data) of the minirootfs, in order."""
    with tarfile.open(tarball, "r:gz") as t:
        for m in t.getmembers():
            data = t.extractfile(m).read() if m.isfile() else b""
            yield m, data


def raw(member, data):
    """The tar bytes of one entry: header(s) and content padded to 512."""
    buf = member.tobuf(format=tarfile.PAX_FORMAT)
    pad = (512 - len(data) % 512) % 512
    return buf + data + b"\0" * pad


def zstd(data):
    return subprocess.run(["zstd", "-q", "-c", "-3", "--no-check"], input=data, stdout=subprocess.PIPE,
                          check=True).stdout


def skippable(payload):
    return struct.pack("<II", SKIPPABLE, len(payload)) + payload


def zstd_chunked(tarball):
    blob = bytearray()
    plain = bytearray()
    toc = []
    pending = bytearray()
    for m, data in entries(tarball):
        chunk = raw(m, data)
        toc.append({"type": "reg" if m.isfile() else "dir" if m.isdir() else "symlink", "name": m.name,
                    "offset": len(blob), "size": len(data)})
        pending += chunk
        plain += chunk
        if len(pending) >= 128 * 1024:  # a frame per 128 KiB of entries: many frames, few zstd runs
            blob += zstd(bytes(pending))
            pending = bytearray()
    end = b"\0" * 1024
    blob += zstd(bytes(pending) + end)
    plain += end
    manifest = zstd(json.dumps({"version": 1, "entries": toc}).encode())
    manifest_offset = len(blob) + 8
    blob += skippable(manifest)
    # footer: manifest offset, compressed and uncompressed length, type, then the magic
    footer = struct.pack("<QQQQ", manifest_offset, len(manifest), len(manifest) * 4, 1) + b"GNUlInUx"
    blob += skippable(footer)
    annotations = {
        "io.github.containers.zstd-chunked.manifest-checksum": "sha256:" + hashlib.sha256(manifest).hexdigest(),
        "io.github.containers.zstd-chunked.manifest-position": "%d:%d:%d:1" % (manifest_offset, len(manifest),
                                                                              len(manifest) * 4),
    }
    return bytes(blob), bytes(plain), "application/vnd.oci.image.layer.v1.tar+zstd", annotations


def member(data):
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as g:
        g.write(data)
    return out.getvalue()


def estargz(tarball):
    blob = bytearray()
    plain = bytearray()
    toc = []
    landmark = tarfile.TarInfo(".no.prefetch.landmark")
    landmark.size = 1
    for m, data in [(landmark, b"\x0f")] + list(entries(tarball)):
        chunk = raw(m, data)
        toc.append({"name": m.name, "type": "reg" if m.isfile() else "dir" if m.isdir() else "symlink",
                    "offset": len(blob), "size": len(data)})
        blob += member(chunk)
        plain += chunk
    toc_offset = len(blob)
    index = json.dumps({"version": 1, "entries": toc}).encode()
    info = tarfile.TarInfo("stargz.index.json")
    info.size = len(index)
    last = raw(info, index) + b"\0" * 1024
    blob += member(last)
    plain += last
    extra = b"SG" + struct.pack("<H", 22) + (b"%016x" % toc_offset) + b"STARGZ"
    header = b"\x1f\x8b\x08\x04" + b"\0\0\0\0" + b"\0\xff" + struct.pack("<H", len(extra)) + extra
    footer = header + b"\x01\x00\x00\xff\xff" + struct.pack("<II", 0, 0)
    assert len(footer) == 51
    blob += footer
    annotations = {
        "containerd.io/snapshot/stargz/toc.digest": "sha256:" + hashlib.sha256(index).hexdigest(),
        "io.containers.estargz.uncompressed-size": str(len(plain)),
    }
    return bytes(blob), bytes(plain), "application/vnd.oci.image.layer.v1.tar+gzip", annotations


def put(out, data):
    digest = hashlib.sha256(data).hexdigest()
    path = os.path.join(out, "blobs", "sha256", digest)
    with open(path + ".tmp", "wb") as f:
        f.write(data)
    os.replace(path + ".tmp", path)
    return {"digest": "sha256:" + digest, "size": len(data)}


def main():
    alpine, version, out = sys.argv[1:4]
    os.makedirs(os.path.join(out, "blobs", "sha256"), exist_ok=True)
    refs = []
    for tag, make in (("zstd-chunked", zstd_chunked), ("estargz", estargz)):
        manifests = []
        for arch, (alpine_arch, variant) in ARCHES.items():
            tarball = os.path.join(alpine, "alpine-minirootfs-%s-%s.tar.gz" % (version, alpine_arch))
            blob, plain, media_type, annotations = make(tarball)
            layer = dict(put(out, blob), mediaType=media_type, annotations=annotations)
            config = {"architecture": arch, "os": "linux", "created": "1970-01-01T00:00:01Z",
                      "config": {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
                                 "Cmd": ["/bin/sh"]},
                      "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(plain).hexdigest()]},
                      "history": [{"created": "1970-01-01T00:00:01Z", "created_by": "make-chunked-bases.py " + tag}]}
            if variant:
                config["variant"] = variant
            cfg = dict(put(out, json.dumps(config, sort_keys=True).encode()),
                       mediaType="application/vnd.oci.image.config.v1+json")
            manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                        "config": cfg, "layers": [layer]}
            platform = {"architecture": arch, "os": "linux"}
            if variant:
                platform["variant"] = variant
            manifests.append(dict(put(out, json.dumps(manifest).encode()),
                                  mediaType="application/vnd.oci.image.manifest.v1+json", platform=platform))
        index = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": manifests}
        refs.append(dict(put(out, json.dumps(index).encode()), mediaType="application/vnd.oci.image.index.v1+json",
                         annotations={"org.opencontainers.image.ref.name": tag}))
    with open(os.path.join(out, "oci-layout"), "w") as f:
        f.write('{"imageLayoutVersion":"1.0.0"}')
    with open(os.path.join(out, "index.json"), "w") as f:
        json.dump({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": refs}, f)


if __name__ == "__main__":
    main()
