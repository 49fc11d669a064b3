package dev.graft.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one metadata record a tar entry, a tree entry, a layer entry and the caches share. */
class EntryMetadataTest {
  @TempDir Path tmp;

  private static final TreeMap<String, Bytes> CAPS =
      new TreeMap<>(Map.of("security.capability", new Bytes(LayerWriterTest.CAPS)));

  @Test
  void refusesWhatNoFilesystemEntryCanBe() {
    assertThatThrownBy(() -> EntryMetadata.file(0100644, 0, 0, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("100644");
    assertThatThrownBy(() -> EntryMetadata.file(0644, -1, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EntryMetadata.directory(0755, 0, -2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EntryMetadata.file(0644, 0, 0, -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new EntryMetadata(null, 0644, 0, 0, 0, "", 0, 0, null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void linksAndOnlyLinksHaveTargets() {
    assertThatThrownBy(() -> EntryMetadata.symlink("", 0, 0)).hasMessageContaining("symlink needs a target");
    assertThatThrownBy(() -> new EntryMetadata(EntryType.HARDLINK, 0644, 0, 0, 0, null, 0, 0, null))
        .hasMessageContaining("hardlink needs a target");
    assertThatThrownBy(() -> new EntryMetadata(EntryType.FILE, 0644, 0, 0, 3, "/etc/passwd", 0, 0, null))
        .hasMessageContaining("only links have a target");
    assertThat(new EntryMetadata(EntryType.DIR, 0755, 0, 0, 0, null, 0, 0, null).linkTarget()).isEmpty();
  }

  @Test
  void onlyFilesAndHardlinksKeepASize() {
    // A tar may declare a size on a directory or device; it carries no bytes there.
    assertThat(new EntryMetadata(EntryType.DIR, 0755, 0, 0, 4096, "", 0, 0, null).size()).isZero();
    assertThat(new EntryMetadata(EntryType.CHAR, 0666, 0, 0, 9, "", 1, 3, null).size()).isZero();
    assertThat(EntryMetadata.symlink("libc.so.6", 0, 0).size()).isZero();
    assertThat(EntryMetadata.file(0644, 0, 0, 12).asHardlinkTo("/a").size()).isEqualTo(12);
  }

  @Test
  void xattrsAreCopiedAndReadOnly() {
    TreeMap<String, Bytes> mutable = new TreeMap<>(CAPS);
    EntryMetadata m = new EntryMetadata(EntryType.FILE, 0755, 0, 0, 4, "", 0, 0, mutable);
    mutable.put("user.later", new Bytes(new byte[] {1}));
    assertThat(m.xattrs()).containsOnlyKeys("security.capability");
    assertThatThrownBy(() -> m.xattrs().put("user.x", new Bytes(new byte[0])))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(EntryMetadata.file(0644, 0, 0, 0).xattrs()).isEmpty();
    assertThat(m).isEqualTo(new EntryMetadata(EntryType.FILE, 0755, 0, 0, 4, "", 0, 0, CAPS));
  }

  @Test
  void hardlinkAndFileViewsShareTheInodesMetadata() {
    EntryMetadata file = new EntryMetadata(EntryType.FILE, 04755, 7, 8, 42, "", 0, 0, CAPS);
    EntryMetadata link = file.asHardlinkTo("/usr/bin/node");
    assertThat(link.type()).isEqualTo(EntryType.HARDLINK);
    assertThat(link.linkTarget()).isEqualTo("/usr/bin/node");
    assertThat(List.of(link.mode(), link.uid(), link.gid(), link.size(), link.xattrs()))
        .containsExactly(04755, 7L, 8L, 42L, CAPS);
    assertThat(link.asFile()).isEqualTo(file);
    assertThat(file.withMode(0700).withOwner(1000, 1001))
        .isEqualTo(new EntryMetadata(EntryType.FILE, 0700, 1000, 1001, 42, "", 0, 0, CAPS));
  }

  @Test
  void crossesTheTarBoundaryWhole() throws IOException {
    Map<String, EntryMetadata> written = new TreeMap<>();
    written.put("/dev/null", new EntryMetadata(EntryType.CHAR, 0666, 0, 0, 0, "", 1, 3, null));
    written.put("/home/app", EntryMetadata.directory(0700, 3_000_000, 3_000_001)); // ids beyond ustar's fields
    written.put("/lib/libc.so", EntryMetadata.symlink("libc.so.6", 0, 0));
    written.put("/run/fifo", new EntryMetadata(EntryType.FIFO, 0600, 0, 0, 0, "", 0, 0, null));
    written.put("/usr/bin/node", new EntryMetadata(EntryType.FILE, 0755, 0, 0, 4, "", 0, 0, CAPS));
    written.put("/usr/bin/nodejs", written.get("/usr/bin/node").asHardlinkTo("/usr/bin/node"));
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    TarWriter writer = new TarWriter(tar, 0);
    for (Map.Entry<String, EntryMetadata> e : written.entrySet()) {
      writer.write(e.getKey(), e.getValue(), e.getValue().type() == EntryType.FILE
          ? new ByteArrayInputStream("node".getBytes(StandardCharsets.US_ASCII)) : InputStream.nullInputStream());
    }
    writer.finish();

    Map<String, EntryMetadata> read = new TreeMap<>();
    List<Long> ordinals = new ArrayList<>();
    try (TarReader reader = new TarReader(new ByteArrayInputStream(tar.toByteArray()), "test")) {
      for (TarEntry e = reader.next(); e != null; e = reader.next()) {
        read.put(e.path(), e.metadata());
        ordinals.add(e.ordinal());
      }
    }
    // A hardlink's header declares no size; a tree gives it its target's.
    written.put("/usr/bin/nodejs", new EntryMetadata(EntryType.HARDLINK, 0755, 0, 0, 0, "/usr/bin/node", 0, 0, CAPS));
    assertThat(read).isEqualTo(written);
    assertThat(ordinals).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
  }

  @Test
  void cacheLayoutIsTheOneWrittenBeforeTheRecord() throws IOException {
    // The rebuild caches (trees, selections) keep their format names: the bytes must not change.
    EntryMetadata m = new EntryMetadata(EntryType.FILE, 0755, 1, 2, 4, "", 0, 0, CAPS);
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(expected)) {
      CacheFile.writeString(out, "FILE");
      out.writeInt(0755);
      out.writeLong(1);
      out.writeLong(2);
      out.writeLong(4);
      CacheFile.writeString(out, "");
      out.writeInt(0);
      out.writeInt(0);
      out.writeInt(1);
      CacheFile.writeString(out, "security.capability");
      CacheFile.writeBytes(out, LayerWriterTest.CAPS);
    }
    ByteArrayOutputStream actual = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(actual)) {
      CacheFile.writeMetadata(out, m);
    }
    assertThat(actual.toByteArray()).isEqualTo(expected.toByteArray());
    assertThat(CacheFile.readMetadata(new DataInputStream(new ByteArrayInputStream(actual.toByteArray()))))
        .isEqualTo(m);
  }

  @Test
  void cachedMetadataTheRecordRefusesIsAMiss() throws IOException {
    // A stale or damaged cache entry must be rebuilt, never trusted.
    CacheFile.write(tmp, "entry", "test-v1", out -> {
      CacheFile.writeString(out, "SYMLINK");
      out.writeInt(0777);
      out.writeLong(0);
      out.writeLong(0);
      out.writeLong(0);
      CacheFile.writeString(out, ""); // a symlink without a target
      out.writeInt(0);
      out.writeInt(0);
      out.writeInt(0);
    });
    assertThat(CacheFile.read(tmp.resolve("entry"), "test-v1", CacheFile::readMetadata)).isEmpty();
  }
}
