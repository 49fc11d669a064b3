#!/usr/bin/env python3
"""Makes npm package tarballs with Python's tarfile (not graft's writer) for graft's npm tests.

  make-tarballs.py OUTDIR     writes OUTDIR/<name>.tgz and prints "<name>\t<sha512 SRI>" per tarball

quirks.tgz   what pacote does on purpose: a top folder not named package/, a .gitignore (renamed
             .npmignore), a file written twice (the last copy wins), a bin whose #! line ends
             in CRLF (fix-bin makes it LF and mode 0755), modes 0600/0744, a symlink and a
             hardlink (pacote writes neither), an empty directory (not made).
escape.tgz   hostile: an entry named package/../../etc/evil (node-tar refuses '..').
absolute.tgz hostile: an entry named /etc/evil.
"""
import base64, gzip, hashlib, io, sys, tarfile

def add(tar, name, data=b"", mode=0o644, kind=tarfile.REGTYPE, link=""):
    info = tarfile.TarInfo(name)
    info.type, info.mode, info.mtime, info.linkname = kind, mode, 499162500, link
    info.size = len(data) if kind == tarfile.REGTYPE else 0
    tar.addfile(info, io.BytesIO(data) if kind == tarfile.REGTYPE else None)

def make(out, name, fill):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        fill(tar)
    data = gzip.compress(raw.getvalue(), mtime=0)
    with open(f"{out}/{name}.tgz", "wb") as f:
        f.write(data)
    print(f"{name}\tsha512-{base64.b64encode(hashlib.sha512(data).digest()).decode()}")

def quirks(t):
    add(t, "pkg/package.json", b'{"name":"quirks","version":"1.0.0","bin":{"quirks":"bin/cli.js"}}\n')
    add(t, "pkg/bin/cli.js", b"#!/usr/bin/env node\r\nconsole.log('hi')\r\n", mode=0o644)
    add(t, "pkg/.gitignore", b"node_modules\n")
    add(t, "pkg/lib/.npmignore", b"first\n")
    add(t, "pkg/lib/.gitignore", b"dropped: a .npmignore came first\n")
    add(t, "pkg/twice.txt", b"first copy\n")
    add(t, "pkg/private.txt", b"secret\n", mode=0o600)
    add(t, "pkg/tool.sh", b"#!/bin/sh\n", mode=0o744)
    add(t, "pkg/twice.txt", b"second copy\n")
    add(t, "pkg/link", kind=tarfile.SYMTYPE, link="twice.txt")
    add(t, "pkg/hard", kind=tarfile.LNKTYPE, link="pkg/twice.txt")
    add(t, "pkg/empty", kind=tarfile.DIRTYPE, mode=0o755)

def escape(t):
    add(t, "package/package.json", b'{"name":"escape","version":"1.0.0"}\n')
    add(t, "package/../../etc/evil", b"evil\n")

def absolute(t):
    add(t, "package/package.json", b'{"name":"absolute","version":"1.0.0"}\n')
    add(t, "/etc/evil", b"evil\n")

out = sys.argv[1]
make(out, "quirks", quirks)
make(out, "escape", escape)
make(out, "absolute", absolute)
