#!/usr/bin/env python3
"""Makes graft's hostile test images without graft: Python's tarfile for the layers, JSON written
by hand for configs, manifests and index.json. Each image is an OCI image layout (linux/amd64,
tagged "t") in OUT/<name>; what each one holds and why is in testdata/hostile/README.md.

  usage: make-hostile.py OUT          (idempotent; writes each layout under a temp name first)

Everything is deterministic (fixed mtimes, sorted JSON keys), so the same script makes the same
digests on every machine.
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
PLAIN = "application/vnd.oci.image.layer.v1.tar"
GZIP = "application/vnd.oci.image.layer.v1.tar+gzip"


def sha256(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


class Tar:
    """A tar built entry by entry, in the order given (hostile order matters)."""

    def __init__(self):
        self.buf = io.BytesIO()
        self.tar = tarfile.open(fileobj=self.buf, mode="w", format=tarfile.PAX_FORMAT)

    def _info(self, name, kind, mode):
        ti = tarfile.TarInfo(name)
        ti.type = kind
        ti.mode = mode
        ti.mtime = MTIME
        ti.uid = ti.gid = 0
        ti.uname = ti.gname = ""
        return ti

    def dir(self, name, mode=0o755):
        self.tar.addfile(self._info(name, tarfile.DIRTYPE, mode))
        return self

    def file(self, name, text, mode=0o644):
        data = text.encode() if isinstance(text, str) else text
        ti = self._info(name, tarfile.REGTYPE, mode)
        ti.size = len(data)
        self.tar.addfile(ti, io.BytesIO(data))
        return self

    def symlink(self, name, target):
        ti = self._info(name, tarfile.SYMTYPE, 0o777)
        ti.linkname = target
        self.tar.addfile(ti)
        return self

    def device(self, name, kind, major, minor):
        ti = self._info(name, kind, 0o600)
        ti.devmajor, ti.devminor = major, minor
        self.tar.addfile(ti)
        return self

    def fifo(self, name):
        self.tar.addfile(self._info(name, tarfile.FIFOTYPE, 0o644))
        return self

    def bytes(self):
        self.tar.close()  # writes the end-of-archive marker and pads to tarfile's 10240-byte record
        return self.buf.getvalue()


def gz(data):
    return gzip.compress(data, compresslevel=6, mtime=MTIME)


class Layout:
    """An OCI layout of one image. Layers are given as (blob bytes, media type, diff_id, digest):
    the digest and diff_id the manifest and config name, which a hostile image may get wrong."""

    def __init__(self, out, name):
        self.final = os.path.join(out, name)
        self.dir = self.final + ".tmp-%d" % os.getpid()
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(os.path.join(self.dir, "blobs", "sha256"))

    def put(self, data, digest=None):
        digest = digest or sha256(data)
        with open(os.path.join(self.dir, "blobs", "sha256", digest.split(":")[1]), "wb") as f:
            f.write(data)
        return digest

    def write(self, layers, config=None):
        descriptors, diff_ids = [], []
        for blob, media_type, diff_id, digest in layers:
            descriptors.append({"mediaType": media_type, "digest": self.put(blob, digest), "size": len(blob)})
            diff_ids.append(diff_id)
        cfg = {"architecture": "amd64", "os": "linux", "config": config or {},
               "rootfs": {"type": "layers", "diff_ids": diff_ids}}
        cfg_bytes = json.dumps(cfg, sort_keys=True, separators=(",", ":")).encode()
        manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                    "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                               "digest": self.put(cfg_bytes), "size": len(cfg_bytes)},
                    "layers": descriptors}
        m_bytes = json.dumps(manifest, sort_keys=True, separators=(",", ":")).encode()
        index = {"schemaVersion": 2, "manifests": [{
            "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": self.put(m_bytes),
            "size": len(m_bytes), "annotations": {"org.opencontainers.image.ref.name": "t"}}]}
        with open(os.path.join(self.dir, "index.json"), "w") as f:
            json.dump(index, f, sort_keys=True, separators=(",", ":"))
        with open(os.path.join(self.dir, "oci-layout"), "w") as f:
            f.write('{"imageLayoutVersion":"1.0.0"}')
        shutil.rmtree(self.final, ignore_errors=True)
        os.rename(self.dir, self.final)


def honest(tar_bytes, compress=True):
    """A layer whose digest and diff_id tell the truth."""
    blob = gz(tar_bytes) if compress else tar_bytes
    return (blob, GZIP if compress else PLAIN, sha256(tar_bytes), sha256(blob))


def a_root():
    """The files every image here starts with: an honest /etc and an app."""
    return (Tar().dir("etc").file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n")
            .file("etc/shadow", "root:*:19000:0:::::\n", 0o640).dir("app").file("app/index.js", "console.log('hi')\n"))


def plant_through_link(out):
    # A link out of /app, then a file written "through" it: runtimes (securejoin) place it at
    # /etc/passwd of the image; a selection of /app must still bring nothing from outside /app.
    lower = a_root().symlink("app/link", "../../../../etc").bytes()
    upper = (Tar().file("app/link/passwd", "root::0:0:pwned:/root:/bin/sh\n")
             .symlink("app/abs", "/etc").file("app/abs/shadow", "root::1:0:::::\n")
             .symlink("app/up", "..").dir("app/up/opt").file("app/up/opt/run.sh", "#!/bin/bash\n", 0o755).bytes())
    # The entrypoint exists only where the runtime places app/up/opt/run.sh: /opt/run.sh.
    Layout(out, "plant-through-link").write([honest(lower), honest(upper)], {"Entrypoint": ["/opt/run.sh"]})


def special_files(out):
    tar = (a_root().device("app/null", tarfile.CHRTYPE, 1, 3).device("app/sda", tarfile.BLKTYPE, 8, 0)
           .fifo("app/fifo").bytes())
    Layout(out, "special-files").write([honest(tar)])


def corrupt_after_end_marker(out):
    # Valid tar up to its end marker; one byte of the record padding after it differs from what
    # was hashed. Only a reader that drains past the end marker sees the digest mismatch.
    tar = a_root().bytes()
    digest = sha256(tar)
    bad = bytearray(tar)
    bad[-1] = 0x01
    Layout(out, "corrupt-after-end-marker").write([(bytes(bad), PLAIN, digest, digest)])


def corrupt_gzip_header(out):
    # The gzip header's MTIME differs from the blob that was hashed: same size, same
    # decompressed tar (the diff_id holds), a different digest.
    tar = a_root().bytes()
    blob = gz(tar)
    bad = bytearray(blob)
    bad[4] ^= 0xff
    Layout(out, "corrupt-gzip-header").write([(bytes(bad), GZIP, sha256(tar), sha256(blob))])


def corrupt_content(out):
    # A file's bytes altered after hashing ("hi" -> "pwned" would change the size: flip letters).
    tar = a_root().bytes()
    bad = tar.replace(b"console.log('hi')", b"console.log('HI')")
    assert bad != tar and len(bad) == len(tar)
    Layout(out, "corrupt-content").write([(bad, PLAIN, sha256(tar), sha256(tar))])


def lying_diff_id(out):
    # The blob is what the manifest names; the config's diff_id describes another tar.
    tar = a_root().bytes()
    blob = gz(tar)
    Layout(out, "lying-diff-id").write([(blob, GZIP, sha256(b"another tar"), sha256(blob))])


def control_characters(out):
    # Names that drive a terminal: set its title (OSC), clear it (CSI 2J), forge a line, ring
    # the bell, a C1 CSI (U+009B), and a symlink whose target colours the screen.
    tar = (a_root().file("app/\x1b]0;pwned\x07title", "t\n").file("app/\x1b[2Jclear", "c\n")
           .file("app/evil\n-rw-r--r--     0     0          5 /etc/forged", "f\n")
           .file("app/bell\x07", "b\n").file("app/c1\u009b31m", "c\n")
           .symlink("app/red", "\x1b[31mred").bytes())
    # verify names its missing entrypoint in its report
    Layout(out, "control-characters").write([honest(tar)], {"Entrypoint": ["/app/\x1b]0;pwned\x07missing"]})


def deep_path(out):
    # A file 100 000 directories deep (200 kB name, in a PAX record): over PATH_MAX, and a walk that
    # recurses per component would overflow its stack.
    tar = Tar().file("a/" * 100_000 + "f", "deep\n").bytes()
    Layout(out, "deep-path").write([honest(tar)])


MAKERS = [deep_path, plant_through_link, special_files, corrupt_after_end_marker, corrupt_gzip_header, corrupt_content,
          lying_diff_id, control_characters]

if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make-hostile.py OUT")
    os.makedirs(sys.argv[1], exist_ok=True)
    for make in MAKERS:
        make(sys.argv[1])
