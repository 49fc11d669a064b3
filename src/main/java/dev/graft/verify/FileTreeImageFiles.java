package dev.graft.verify;

import dev.graft.fs.FileTree;
import dev.graft.fs.Node;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * {@link ImageFiles} over an image's merged layers ({@link FileTree}): what {@code graft verify}
 * reads. A hardlink is a regular file (it shares its target's content). Contents are streamed
 * from the layer on each open; {@link ElfCache} keeps each parsed ELF file, so a file is read
 * about once per verification.
 */
public final class FileTreeImageFiles implements ImageFiles {
  private final FileTree tree;

  public FileTreeImageFiles(FileTree tree) {
    this.tree = tree;
  }

  @Override
  public Optional<Entry> lstat(String absPath) {
    if (absPath.equals("/")) {
      return Optional.of(new Entry(Type.DIRECTORY, null, 0755, 0));
    }
    return tree.lookup(absPath).map(FileTreeImageFiles::entry);
  }

  private static Entry entry(Node n) {
    if (n.isSymlink()) {
      return new Entry(Type.SYMLINK, n.linkTarget(), n.mode() & 07777, 0);
    }
    Type t = n.isRegular() ? Type.FILE : n.isDirectory() ? Type.DIRECTORY : Type.OTHER;
    return new Entry(t, null, n.mode() & 07777, n.isRegular() ? n.size() : 0);
  }

  @Override
  public InputStream open(String absPath) throws IOException {
    Node n = tree.lookup(absPath).filter(Node::isRegular)
        .orElseThrow(() -> new IOException(absPath + ": not a regular file in the image"));
    return tree.openContent(n);
  }

  @Override
  public List<String> list(String absPath) {
    return tree.list(absPath).stream().map(Node::name).sorted().toList();
  }
}
