package dev.graft.layer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.oci.MediaTypes.Compression;
import dev.graft.testing.OciLayouts;
import dev.graft.testing.Tools;
import dev.graft.testing.UmociTrees;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerWriterTest {
  @TempDir Path tmp;

  /**
   * security.capability v2 (effective) granting cap_setuid (bit 7) and cap_net_bind_service
   * (bit 10): permitted word 0x480, so byte 0x80 appears, which is not valid UTF-8 on its own.
   */
  static final byte[] CAPS = {1, 0, 0, 2, (byte) 0x80, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

  static LayerEntry file(String path, String content, int mode) {
    byte[] b = content.getBytes(StandardCharsets.UTF_8);
    return LayerEntry.file(path, mode, 0, 0, b.length, ContentSource.ofBytes(b));
  }

  /** A fixed set of entries exercising every rule of the writer. */
  static List<LayerEntry> sample() {
    List<LayerEntry> e = new ArrayList<>();
    e.add(LayerEntry.directory("/usr", 0755, 0, 0));
    e.add(LayerEntry.directory("/usr/lib", 0755, 0, 0));
    e.add(file("/usr/lib/libstdc++.so.6.0.30", "not really a library", 0644));
    e.add(LayerEntry.symlink("/usr/lib/libstdc++.so.6", "libstdc++.so.6.0.30", 0, 0));
    e.add(LayerEntry.directory("/usr/bin", 0755, 0, 0));
    TreeMap<String, Bytes> caps = new TreeMap<>(Map.of("security.capability", new Bytes(CAPS)));
    e.add(new LayerEntry("/usr/bin/node", new EntryMetadata(EntryType.FILE, 0755, 0, 0, 4, "", 0, 0, caps),
        ContentSource.ofBytes("node".getBytes())));
    // the link sorts before its target: the writer must swap their roles
    e.add(file("/usr/bin/z-target", "shared inode", 0700));
    e.add(new LayerEntry("/usr/bin/a-link",
        new EntryMetadata(EntryType.HARDLINK, 0700, 0, 0, 0, "/usr/bin/z-target", 0, 0, null), null));
    e.add(LayerEntry.directory("/home", 0755, 0, 0));
    e.add(LayerEntry.directory("/home/app", 0700, 3000000, 3000001)); // ids beyond ustar's 7 octal digits
    String deep = "/home/app/" + "d".repeat(120) + "/" + "f".repeat(150);
    e.add(LayerEntry.directory(TarPaths.parent(deep), 0755, 3000000, 3000001));
    e.add(file(deep, "long name", 0600));
    e.add(LayerEntry.symlink("/home/app/long-link", "/" + "t".repeat(200), 0, 0));
    e.add(file("/home/app/süß-ünïcode", "utf8", 0644));
    return e;
  }

  @Test
  void writesEntriesSortedWithFixedMtimeAndLinkTargetsFirst() throws Exception {
    List<LayerEntry> shuffled = new ArrayList<>(sample());
    Collections.shuffle(shuffled, new java.util.Random(7));
    Layer layer = LayerWriter.write(shuffled, LayerOptions.of(Compression.NONE), tmp.resolve("l.tar"));
    List<String> seen = new ArrayList<>();
    try (TarReader r = new TarReader(Files.newInputStream(layer.blob()), "l")) {
      for (TarEntry t = r.next(); t != null; t = r.next()) {
        seen.add(t.path() + " " + t.metadata().type() + (t.metadata().linkTarget().isEmpty() ? "" : " -> " + t.metadata().linkTarget()));
      }
    }
    assertThat(seen).isSorted();
    assertThat(seen).contains("/usr/bin/a-link FILE", "/usr/bin/z-target HARDLINK -> /usr/bin/a-link");
    String listing = Tools.runOk(Duration.ofMinutes(1), "env", "TZ=UTC", "tar", "--numeric-owner", "--full-time",
        "-tvf", layer.blob().toString()).stdout();
    assertThat(listing.lines()).allMatch(l -> l.contains("1970-01-01 00:00:01"));
    assertThat(listing).contains("3000000/3000001").contains("usr/bin/z-target link to usr/bin/a-link")
        .contains("f".repeat(150)).contains("süß-ünïcode");
    byte[] raw = Files.readAllBytes(layer.blob());
    assertThat(raw.length % 512).isZero();
    assertThat(layer.diffId()).isEqualTo(layer.digest()); // uncompressed: the blob is the tar
  }

  @Test
  void umociUnpacksWrittenLayerWithOwnersModesLinksAndCapabilities() throws Exception {
    Layer layer = LayerWriter.write(sample(), LayerOptions.defaults(), tmp.resolve("l.tar.gz"));
    Path layout = tmp.resolve("layout");
    OciLayouts.write(layout, "t", List.of(layer.blob()));
    assertThat(OciLayouts.sha256(layer.blob(), true)).isEqualTo(layer.diffId().hex());
    Map<String, String> unpacked = UmociTrees.unpack(layout, "t", tmp.resolve("bundle"));
    assertThat(unpacked.get("/usr/lib/libstdc++.so.6")).startsWith("symlink 777 0:0 0 libstdc++.so.6.0.30 ");
    assertThat(unpacked.get("/home/app")).startsWith("dir 700 3000000:3000001");
    assertThat(unpacked.get("/usr/bin/z-target")).isEqualTo(unpacked.get("/usr/bin/a-link"));
    assertThat(unpacked).containsKey("/home/app/" + "d".repeat(120) + "/" + "f".repeat(150));
    String getcap = Tools.runOk(Duration.ofMinutes(1), Tools.require("getcap").toString(),
        tmp.resolve("bundle/rootfs/usr/bin/node").toString()).stdout();
    assertThat(getcap).contains("cap_setuid,cap_net_bind_service=ep");
    // And our own reader sees the same capability bytes.
    new LayerBlob("l", () -> Files.newInputStream(layer.blob())).read(r -> {
      for (TarEntry t = r.next(); t != null; t = r.next()) {
        if (t.path().equals("/usr/bin/node")) {
          assertThat(t.metadata().xattrs()).containsEntry("security.capability", new Bytes(CAPS));
        }
      }
      return null;
    });
  }

  @Test
  void hardlinkWithoutTargetInLayerBecomesFile() {
    LayerEntry orphan = new LayerEntry("/x", EntryMetadata.file(0644, 0, 0, 3).asHardlinkTo("/elsewhere"),
        ContentSource.ofBytes("abc".getBytes()));
    assertThat(LayerWriter.normalise(List.of(orphan))).singleElement()
        .satisfies(e -> assertThat(e.metadata().type()).isEqualTo(EntryType.FILE));
  }
}
