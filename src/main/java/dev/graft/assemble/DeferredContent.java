package dev.graft.assemble;

import dev.graft.layer.ContentSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.util.Map;
import java.util.Optional;

/**
 * The content of a file of a remembered selection ({@link SelectionCache}), named by its
 * identity; the bytes come from the selection made again (reading the source image) only if
 * something reads them.
 */
record DeferredContent(String identity, Lazy<Map<String, ContentSource>> byIdentity) implements ContentSource {
  private ContentSource real() {
    ContentSource c = byIdentity.get().get(identity);
    if (c == null) {
      throw new IllegalStateException("the cached selection names content " + identity
          + " that selecting again did not give; delete the graft cache's select/ directory");
    }
    return c;
  }

  @Override
  public InputStream open() throws IOException {
    return real().open();
  }

  @Override
  public Optional<SeekableByteChannel> openChannel() throws IOException {
    return real().openChannel();
  }
}
