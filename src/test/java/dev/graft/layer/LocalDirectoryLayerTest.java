package dev.graft.layer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalDirectoryLayerTest {
  @TempDir Path tmp;

  @Test
  void normalisesOwnersAndModesKeepsSymlinksAndHonoursIgnoreList() throws Exception {
    Path dist = Files.createDirectories(tmp.resolve("dist"));
    Files.setPosixFilePermissions(dist, PosixFilePermissions.fromString("rwx------"));
    Path run = Files.writeString(dist.resolve("run.sh"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwx------"));
    Path data = Files.writeString(dist.resolve("data.json"), "{}");
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rw-rw-rw-"));
    Files.createSymbolicLink(dist.resolve("escape"), Path.of("/etc/passwd"));
    Files.createDirectories(dist.resolve("sub/.cache"));
    Files.writeString(dist.resolve("sub/.cache/x"), "x");
    Files.writeString(dist.resolve("sub/debug.log"), "x");
    Files.writeString(dist.resolve("sub/keep.js"), "x");

    List<LayerEntry> entries = LocalDirectoryLayer.entries(dist, "/app", List.of("**/.cache", "*.log", "sub/*.log"));
    assertThat(entries.stream().map(e -> e.path() + " " + e.metadata().type() + " " + Integer.toOctalString(e.metadata().mode())
        + " " + e.metadata().uid() + ":" + e.metadata().gid() + (e.metadata().linkTarget().isEmpty() ? "" : " -> " + e.metadata().linkTarget())).sorted())
        .containsExactly(
            "/app DIR 755 0:0",
            "/app/data.json FILE 644 0:0",
            "/app/escape SYMLINK 777 0:0 -> /etc/passwd",
            "/app/run.sh FILE 755 0:0",
            "/app/sub DIR 755 0:0",
            "/app/sub/keep.js FILE 644 0:0");
  }

  @Test
  void contentIdentityIsTheContentHash() throws Exception {
    Path d = Files.createDirectories(tmp.resolve("d"));
    Files.writeString(d.resolve("a"), "abc");
    LayerEntry a = LocalDirectoryLayer.entries(d, "/x", List.of()).stream()
        .filter(e -> e.path().equals("/x/a")).findFirst().orElseThrow();
    assertThat(a.content().identity()).isEqualTo(dev.graft.oci.Digest.sha256("abc".getBytes()).toString());
  }
}
