package dev.graft.assemble;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.config.ClosureMode;
import dev.graft.config.LayerSource;
import dev.graft.config.LayerSpec;
import dev.graft.config.PathSelector;
import dev.graft.config.SourcePos;
import dev.graft.fs.FileTree;
import dev.graft.layer.EntryType;
import dev.graft.layer.LayerBlob;
import dev.graft.layer.LayerEntry;
import dev.graft.oci.Descriptor;
import dev.graft.oci.ImageRef;
import dev.graft.oci.OciLayoutSource;
import dev.graft.oci.Platform;
import dev.graft.testing.ExampleApp;
import dev.graft.verify.loader.ParsedElfs;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The select step on the example's real builder image (Debian glibc + npm's node). */
class SelectFilesTest {
  private static String sha256(SeekableByteChannel ch) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    ch.position(0);
    ByteBuffer buf = ByteBuffer.allocate(1 << 16);
    while (ch.read(buf) >= 0) {
      buf.flip();
      md.update(buf);
      buf.clear();
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static String sha256(InputStream in) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    byte[] buf = new byte[1 << 16];
    for (int n; (n = in.read(buf)) > 0; ) {
      md.update(buf, 0, n);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  @Test
  void closureOfNodeReadsTheBuilderLayerOnceForSelectingWritingAndVerifying(@TempDir Path tmp) throws Exception {
    Platform amd64 = Platform.parse("linux/amd64");
    OciLayoutSource builder = OciLayoutSource.open(new ImageRef.OciLayout(ExampleApp.images().resolve("builder"), "latest"));
    OciLayoutSource base = OciLayoutSource.open(new ImageRef.OciLayout(ExampleApp.images().resolve("base"), "latest"));
    ResolvedImage b = new ResolveImage(builder, amd64).run();
    ResolvedImage a = new ResolveImage(base, amd64).run();
    AtomicInteger opens = new AtomicInteger();
    List<LayerBlob> counted = new ArrayList<>();
    for (Descriptor d : b.manifest().layers()) {
      counted.add(new LayerBlob(d.digest().toString(), () -> {
        opens.incrementAndGet();
        return builder.openBlob(d);
      }));
    }
    FileTree builderTree = FileTree.of(counted);
    FileTree baseTree = FileTree.read(base, a.manifest(), a.config().diffIds());
    LayerSpec spec = new LayerSpec("node-runtime", new LayerSource.Builder(),
        List.of(PathSelector.of("/usr/local/bin/node")), List.of(), Optional.empty(), ClosureMode.AUTO,
        dev.graft.config.ClosureConflicts.COMPATIBLE, dev.graft.config.SpecialFiles.REFUSE, Optional.empty(), Optional.empty(),
        SourcePos.of("test"), dev.graft.config.Prune.OFF);
    opens.set(0);

    SelectedFiles sel = new SelectFiles(new SelectFiles.Input(spec, builderTree, "builder image", baseTree,
        "the base image", amd64, List.of(), tmp, Set.of(), new ParsedElfs())).run();
    try {
      // node plus the libraries it loads, found by the closure...
      List<String> files = sel.entries().stream().filter(e -> e.metadata().type() == EntryType.FILE).map(LayerEntry::path).toList();
      assertThat(files).contains("/usr/local/bin/node")
          .anyMatch(p -> p.contains("libstdc++.so.6"))
          .anyMatch(p -> p.contains("libc.so.6"))
          .anyMatch(p -> p.contains("ld-linux-x86-64.so.2"));
      // ...and every byte the layer writer and the verifier read afterwards comes from the same single
      // pass over the builder's layer (not one pass per library the loader opens).
      for (LayerEntry e : sel.entries()) {
        if (e.content() != null) {
          try (InputStream in = e.content().open()) {
            assertThat(in.transferTo(java.io.OutputStream.nullOutputStream())).isEqualTo(e.metadata().size());
          }
        }
      }
      assertThat(opens.get()).isEqualTo(1);
      // The ELF parser gets node (~100 MB) as a window of the spool file, not as a heap copy; the
      // window holds exactly the streamed bytes, read at any position.
      LayerEntry node = sel.entries().stream().filter(e -> e.path().equals("/usr/local/bin/node")).findFirst().orElseThrow();
      try (SeekableByteChannel ch = node.content().openChannel().orElseThrow();
          InputStream in = node.content().open()) {
        assertThat(ch.size()).isEqualTo(node.metadata().size());
        assertThat(sha256(ch)).isEqualTo(sha256(in));
        ByteBuffer tail = ByteBuffer.allocate(16);
        ch.position(node.metadata().size() - 8);
        assertThat(ch.read(tail)).isEqualTo(8);
        assertThat(ch.read(tail)).isEqualTo(-1);
      }
      assertThat(opens.get()).isEqualTo(1);
    } finally {
      sel.spool().close();
    }
  }
}
