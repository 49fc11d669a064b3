package dev.graft.verify.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.elf.ElfFile;
import dev.graft.elf.ElfFormatException;
import dev.graft.fs.FileTree;
import dev.graft.layer.ContentSource;
import dev.graft.layer.LayerBlob;
import dev.graft.layer.LayerEntry;
import dev.graft.testing.AlpineRootfs;
import dev.graft.testing.TestData;
import dev.graft.verify.image.ImageFiles;
import dev.graft.verify.image.TreeImageFiles;
import dev.graft.verify.image.VerifyTrace;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One parse per build: two views of the same real Alpine image (the closure's and verification's)
 * share their ELF parses through {@link ParsedElfs} exactly as long as the bytes are the same, and
 * a recording view still learns that verification depended on the file it did not read.
 */
class ParsedElfsTest {
  private static FileTree alpine;

  @BeforeAll
  static void readAlpine() throws IOException {
    alpine = FileTree.of(List.of(new LayerBlob("alpine-3.18-x86_64",
        () -> Files.newInputStream(TestData.alpine("3.18", "x86_64")))));
  }

  @Test
  void aSecondViewOfTheSameBytesTakesTheFirstParseWithoutReadingTheFile() {
    ParsedElfs shared = new ParsedElfs();
    ElfFile first = new ElfCache(TreeImageFiles.overlay(alpine, List.of()), shared).get("/sbin/apk");
    assertThat(first.needed()).contains("libcrypto.so.3", "libz.so.1");

    Reads reads = new Reads(TreeImageFiles.overlay(alpine, List.of()));
    ElfFile second = new ElfCache(reads, shared).get("/sbin/apk");
    assertThat(second).isSameAs(first);
    assertThat(reads.channels.get()).isZero();
    assertThat(shared.size()).isEqualTo(1);
  }

  @Test
  void changedBytesAtTheSamePathAreParsedAgain() {
    ParsedElfs shared = new ParsedElfs();
    ElfFile apk = new ElfCache(TreeImageFiles.overlay(alpine, List.of()), shared).get("/sbin/apk");
    // a layer on top puts busybox's bytes at /sbin/apk: another content name, so another parse
    byte[] busybox = AlpineRootfs.file("3.18", "x86_64", "bin/busybox");
    LayerEntry replaced = LayerEntry.file("/sbin/apk", 0755, 0, 0, busybox.length, ContentSource.ofBytes(busybox));
    Reads reads = new Reads(TreeImageFiles.overlay(alpine, List.of(List.of(replaced))));
    ElfFile now = new ElfCache(reads, shared).get("/sbin/apk");
    assertThat(reads.channels.get()).isEqualTo(1);
    assertThat(now.needed()).isNotEqualTo(apk.needed()).containsExactly("libc.musl-x86_64.so.1");
    assertThat(shared.size()).isEqualTo(2);
  }

  @Test
  void aRefusalIsSharedToo() {
    ParsedElfs shared = new ParsedElfs();
    assertThatThrownBy(() -> new ElfCache(TreeImageFiles.overlay(alpine, List.of()), shared).get("/etc/passwd"))
        .isInstanceOf(ElfFormatException.class).hasMessageContaining("/etc/passwd");
    Reads reads = new Reads(TreeImageFiles.overlay(alpine, List.of()));
    assertThatThrownBy(() -> new ElfCache(reads, shared).get("/etc/passwd"))
        .isInstanceOf(ElfFormatException.class).hasMessageContaining("not an ELF file");
    assertThat(reads.channels.get()).isZero();
  }

  @Test
  void aRecordingViewNotesTheContentItTookTheParseFor() {
    ParsedElfs shared = new ParsedElfs();
    new ElfCache(TreeImageFiles.overlay(alpine, List.of()), shared).get("/sbin/apk");
    TreeImageFiles files = TreeImageFiles.overlay(alpine, List.of());
    VerifyTrace.Recorder recorder = new VerifyTrace.Recorder(files);
    new ElfCache(recorder, shared).get("/sbin/apk");
    VerifyTrace trace = recorder.trace().orElseThrow();
    assertThat(trace.steps()).contains(new VerifyTrace.Step('C', "/sbin/apk", files.contentId("/sbin/apk").orElseThrow()));

    // so an image whose /sbin/apk differs does not reuse what was judged on this one
    byte[] busybox = AlpineRootfs.file("3.18", "x86_64", "bin/busybox");
    LayerEntry replaced = LayerEntry.file("/sbin/apk", 0755, 0, 0, busybox.length, ContentSource.ofBytes(busybox));
    assertThat(trace.holds(TreeImageFiles.overlay(alpine, List.of(List.of(replaced))))).isFalse();
    assertThat(trace.holds(TreeImageFiles.overlay(alpine, List.of()))).isTrue();
  }

  @Test
  void aViewThatCannotNameContentParsesForItself() throws IOException {
    ParsedElfs shared = new ParsedElfs();
    Reads unnamed = new Reads(TreeImageFiles.overlay(alpine, List.of())) {
      @Override
      public Optional<String> contentId(String absPath) {
        return Optional.empty();
      }
    };
    new ElfCache(unnamed, shared).get("/sbin/apk");
    new ElfCache(unnamed, shared).get("/sbin/apk");
    assertThat(unnamed.channels.get()).isEqualTo(2);
    assertThat(shared.size()).isZero();
  }

  /** A view that counts the files opened for parsing (everything else is the real view's). */
  private static class Reads implements ImageFiles {
    final ImageFiles files;
    final AtomicInteger channels = new AtomicInteger();

    Reads(ImageFiles files) {
      this.files = files;
    }

    @Override
    public Optional<Entry> lstat(String absPath) {
      return files.lstat(absPath);
    }

    @Override
    public InputStream open(String absPath) throws IOException {
      return files.open(absPath);
    }

    @Override
    public List<String> list(String absPath) {
      return files.list(absPath);
    }

    @Override
    public Optional<String> contentId(String absPath) {
      return files.contentId(absPath);
    }

    @Override
    public SeekableByteChannel openChannel(String absPath) throws IOException {
      channels.incrementAndGet();
      return files.openChannel(absPath);
    }
  }
}
