package dev.graft.layer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A local directory's files offer random access where they lie (the ELF parser seeks in them). */
class HostFileChannelTest {
  @Test
  void aHostFileIsReadThroughAChannelOverTheFileItself(@TempDir Path tmp) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("app"));
    byte[] bytes = new byte[300_000];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 31);
    }
    Files.write(dir.resolve("addon.node"), bytes);
    LayerEntry e = LocalDirectoryLayer.entries(dir, "/app", List.of()).stream()
        .filter(x -> x.path().equals("/app/addon.node")).findFirst().orElseThrow();
    try (SeekableByteChannel ch = e.content().openChannel().orElseThrow()) {
      assertThat(ch.size()).isEqualTo(bytes.length);
      ByteBuffer b = ByteBuffer.allocate(4);
      ch.position(200_000).read(b);
      assertThat(b.array()).containsExactly(bytes[200_000], bytes[200_001], bytes[200_002], bytes[200_003]);
    }
  }

  @Test
  void inMemoryContentHasNoChannel() throws Exception {
    assertThat(ContentSource.ofBytes(new byte[] {1, 2}).openChannel()).isEmpty();
  }
}
