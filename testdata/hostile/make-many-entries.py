#!/usr/bin/env python3
"""Makes an OCI layout (linux/amd64, tag "t") of one gzip layer with N entries, the shape of a
huge node_modules: /app/node_modules/pkg-NNNN/lib/file-NNNN.js, each file a few bytes, with its
directories. Made with Python's tarfile, not graft's writer; deterministic.

  usage: make-many-entries.py OUT [N]     (N defaults to 1000000; OUT is written under a temp name)
"""
import gzip
import hashlib
import io
import json
import os
import shutil
import sys
import tarfile

MTIME = 1_000_000_000
PER_DIR = 1000


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return "sha256:" + h.hexdigest(), os.path.getsize(path)


class Hashing:
    """A write-only file object that hashes what passes through (the uncompressed tar: its diff_id)."""

    def __init__(self, out):
        self.out, self.h, self.n = out, hashlib.sha256(), 0

    def write(self, b):
        self.h.update(b)
        self.n += len(b)
        return self.out.write(b)

    def tell(self):
        return self.n


def info(name, kind, size=0):
    ti = tarfile.TarInfo(name)
    ti.type, ti.size, ti.mtime, ti.mode = kind, size, MTIME, 0o755 if kind == tarfile.DIRTYPE else 0o644
    ti.uname = ti.gname = ""
    return ti


def main(out, n):
    tmp = out + ".tmp-%d" % os.getpid()
    shutil.rmtree(tmp, ignore_errors=True)
    blobs = os.path.join(tmp, "blobs", "sha256")
    os.makedirs(blobs)
    layer = os.path.join(tmp, "layer.tar.gz")
    with open(layer, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=1, mtime=MTIME) as gz:
        hashing = Hashing(gz)
        tar = tarfile.open(fileobj=hashing, mode="w", format=tarfile.GNU_FORMAT)
        count = 0
        for d in ("app", "app/node_modules"):
            tar.addfile(info(d, tarfile.DIRTYPE))
            count += 1
        pkg = 0
        while count < n:
            base = "app/node_modules/pkg-%05d" % pkg
            tar.addfile(info(base, tarfile.DIRTYPE))
            tar.addfile(info(base + "/lib", tarfile.DIRTYPE))
            count += 2
            for i in range(min(PER_DIR, n - count)):
                data = b"module.exports=%d\n" % i
                tar.addfile(info("%s/lib/file-%05d.js" % (base, i), tarfile.REGTYPE, len(data)),
                            io.BytesIO(data))
                count += 1
            pkg += 1
        tar.close()
        diff_id = "sha256:" + hashing.h.hexdigest()
    digest, size = sha256_file(layer)
    os.rename(layer, os.path.join(blobs, digest.split(":")[1]))

    def put(obj):
        b = json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()
        d = "sha256:" + hashlib.sha256(b).hexdigest()
        with open(os.path.join(blobs, d.split(":")[1]), "wb") as f:
            f.write(b)
        return d, len(b)

    cfg_d, cfg_s = put({"architecture": "amd64", "os": "linux", "config": {},
                        "rootfs": {"type": "layers", "diff_ids": [diff_id]}})
    m_d, m_s = put({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cfg_d, "size": cfg_s},
                    "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": digest,
                                "size": size}]})
    with open(os.path.join(tmp, "index.json"), "w") as f:
        json.dump({"schemaVersion": 2, "manifests": [{
            "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": m_d, "size": m_s,
            "annotations": {"org.opencontainers.image.ref.name": "t"}}]}, f, sort_keys=True, separators=(",", ":"))
    with open(os.path.join(tmp, "oci-layout"), "w") as f:
        f.write('{"imageLayoutVersion":"1.0.0"}')
    shutil.rmtree(out, ignore_errors=True)
    os.rename(tmp, out)


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: make-many-entries.py OUT [N]")
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) == 3 else 1_000_000)
