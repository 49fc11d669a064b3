package dev.graft.layer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.oci.Digest;
import dev.graft.testing.TestTars;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * A gzip layer of many members (eStargz writes one per file) read from a stream that, like a
 * network stream between packets, says nothing is available at a member's end: every member is
 * read, and the tar's diffID holds.
 */
class MultiMemberGzipTest {
  /** Gives a few bytes per read and never says more are available. */
  static final class Trickle extends FilterInputStream {
    Trickle(InputStream in) {
      super(in);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return super.read(b, off, Math.min(len, 7));
    }

    @Override
    public int available() {
      return 0;
    }
  }

  static byte[] member(byte[] data, int from, int to) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream g = new GZIPOutputStream(out)) {
      g.write(data, from, to - from);
    }
    return out.toByteArray();
  }

  @Test
  void everyMemberIsReadThoughTheStreamShowsNoBytesAvailable() throws Exception {
    TestTars t = TestTars.create();
    for (int i = 0; i < 20; i++) {
      t.file("etc/file" + i, "content of file " + i + "\n".repeat(i * 50));
    }
    byte[] tar = t.bytes();
    ByteArrayOutputStream layer = new ByteArrayOutputStream();
    for (int at = 0; at < tar.length; at += 1024) { // a member per two tar blocks
      layer.write(member(tar, at, Math.min(tar.length, at + 1024)));
    }
    byte[] blob = layer.toByteArray();
    LayerBlob lb = new LayerBlob("estargz-like", () -> new Trickle(new ByteArrayInputStream(blob)), Digest.sha256(tar));
    List<String> names = lb.read(r -> {
      List<String> out = new ArrayList<>();
      for (TarEntry e = r.next(); e != null; e = r.next()) {
        out.add(e.path());
      }
      return out;
    });
    assertThat(names).hasSize(20).contains("/etc/file19");
  }
}
