package dev.graft.fs;

import dev.graft.layer.LayerBlob;
import dev.graft.testing.TestTars;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds trees from in-memory layers for tests. */
final class Trees {
  private Trees() {}

  static FileTree of(TestTars... layers) throws IOException {
    List<LayerBlob> blobs = new ArrayList<>();
    for (int i = 0; i < layers.length; i++) {
      byte[] bytes = layers[i].bytes();
      blobs.add(new LayerBlob("layer" + i, () -> new ByteArrayInputStream(bytes)));
    }
    return FileTree.of(blobs);
  }

  static LayerBlob blob(String name, byte[] bytes) {
    return new LayerBlob(name, () -> new ByteArrayInputStream(bytes));
  }

  static String content(FileTree tree, String path) throws IOException {
    try (InputStream in = tree.openContent(tree.lookup(path).orElseThrow())) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
