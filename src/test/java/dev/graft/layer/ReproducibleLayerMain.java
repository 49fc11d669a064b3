package dev.graft.layer;

import dev.graft.fs.ContentSpool;
import dev.graft.fs.FileTree;
import dev.graft.fs.CopiedEntries;
import dev.graft.fs.Selection;
import dev.graft.oci.MediaTypes.Compression;
import dev.graft.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the same layers from scratch and prints their digests, one line per layer. Run in fresh
 * JVMs by {@link ReproducibilityTest} under different JDKs, umasks, time zones, directories and
 * core counts: every run must print the same lines.
 *   usage: ReproducibleLayerMain WORKDIR
 */
public final class ReproducibleLayerMain {
  public static void main(String[] args) throws Exception {
    System.out.print(String.join("", run(Path.of(args[0]))));
  }

  static List<String> run(Path work) throws Exception {
    // A host directory created now (so with this run's umask and clock) becomes an app layer.
    Path app = Files.createDirectories(work.resolve("app"));
    Files.writeString(app.resolve("index.js"), "console.log('hi')\n");
    Files.createDirectories(app.resolve("bin"));
    Path cli = Files.writeString(app.resolve("bin/cli"), "#!/usr/bin/env node\n");
    Files.setPosixFilePermissions(cli, PosixFilePermissions.fromString("rwx------"));
    Files.createSymbolicLink(app.resolve("main.js"), Path.of("index.js"));
    Files.createDirectories(app.resolve("node_modules/.cache"));
    Files.writeString(app.resolve("node_modules/.cache/junk"), "ignored");
    List<LayerEntry> appEntries = LocalDirectoryLayer.entries(app, "/app", List.of("node_modules/.cache"));

    // A graft out of a real Alpine rootfs: the musl loader, busybox and its hardlinked/symlinked names.
    Path alpine = TestData.alpine("3.16", "x86_64");
    FileTree tree = FileTree.of(List.of(new LayerBlob("alpine", () -> Files.newInputStream(alpine))));
    List<String> out = new ArrayList<>();
    try (ContentSpool spool = new ContentSpool(tree, work.resolve("spool"))) {
      List<LayerEntry> graft = CopiedEntries.entries(tree,
          Selection.of("/lib/ld-musl-x86_64.so.1", "/lib/libc.musl-x86_64.so.1", "/bin/sh", "/lib/libz.so.1*"),
          "alpine", null, spool);
      for (Compression c : Compression.values()) {
        for (List<LayerEntry> entries : List.of(appEntries, graft)) {
          Layer l = LayerWriter.write(entries, LayerOptions.of(c), Files.createTempFile(work, "layer", ".blob"));
          out.add(c + " " + l.diffId() + " " + l.digest() + " " + l.compressedSize() + "\n");
        }
      }
    }
    return out;
  }
}
