package dev.graft.verify;

import dev.graft.elf.ElfFile;
import dev.graft.fs.ContentRef;
import dev.graft.fs.FileTree;
import dev.graft.fs.TreeEntry;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@link ImageFiles} over an image's merged layers ({@link FileTree}): what {@code graft verify}
 * reads. A hardlink is a regular file (it shares its target's content).
 *
 * <p>A layer is a stream, and opening one file means streaming its layer up to it; the loader
 * emulation opens dozens of files. So on the first open, every layer is streamed once and the
 * files verification can read (ELF files, package.json, loader configuration) are spilled to a
 * temporary directory, removed by {@link #close()}.
 */
public final class FileTreeImageFiles implements ImageFiles, Closeable {
  private static final long MAX_SPILLED_TEXT = 1 << 20;

  private final FileTree tree;
  private Path spillDir;
  private final Map<ContentRef, Path> spilled = new HashMap<>();

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

  private static Entry entry(TreeEntry n) {
    if (n.isSymlink()) {
      return new Entry(Type.SYMLINK, n.linkTarget(), n.mode() & 07777, 0);
    }
    Type t = n.isRegular() ? Type.FILE : n.isDirectory() ? Type.DIRECTORY : Type.OTHER;
    return new Entry(t, null, n.mode() & 07777, n.isRegular() ? n.size() : 0);
  }

  private TreeEntry regular(String absPath) throws IOException {
    return tree.lookup(absPath).filter(TreeEntry::isRegular)
        .orElseThrow(() -> new IOException(absPath + ": not a regular file in the image"));
  }

  @Override
  public InputStream open(String absPath) throws IOException {
    TreeEntry n = regular(absPath);
    Path local = spill().get(n.content());
    return local != null ? Files.newInputStream(local) : tree.openContent(n);
  }

  @Override
  public SeekableByteChannel openChannel(String absPath) throws IOException {
    TreeEntry n = regular(absPath);
    Path local = spill().get(n.content());
    return local != null ? Files.newByteChannel(local) : ImageFiles.super.openChannel(absPath);
  }

  @Override
  public List<String> list(String absPath) {
    return tree.list(absPath).stream().map(TreeEntry::name).sorted().toList();
  }

  /** Streams each layer once, keeping what verification reads. */
  private synchronized Map<ContentRef, Path> spill() throws IOException {
    if (spillDir != null) {
      return spilled;
    }
    spillDir = Files.createTempDirectory("graft-verify");
    List<TreeEntry> files;
    try (Stream<TreeEntry> all = tree.walk("/")) {
      files = all.filter(TreeEntry::isRegular).toList();
    }
    Map<ContentRef, TreeEntry> byRef = new HashMap<>();
    files.forEach(n -> byRef.putIfAbsent(n.content(), n));
    Map<ContentRef, Path> staged = new HashMap<>();
    tree.readContents(files, (ref, size, content) -> {
      TreeEntry n = byRef.get(ref);
      byte[] head = content.readNBytes(4);
      // *.node of other OSes (Mach-O, PE prebuilds) are opened to be told apart from ELF ones
      boolean text = n.name().endsWith(".node") || size <= MAX_SPILLED_TEXT && (n.name().equals("package.json")
          || n.name().endsWith(".h") || n.path().startsWith("/etc/ld"));
      if (!ElfFile.hasElfMagic(head) && !text) {
        return;
      }
      Path out = spillDir.resolve(ref.layer() + "-" + ref.ordinal());
      try (OutputStream o = Files.newOutputStream(out)) {
        o.write(head);
        content.transferTo(o);
      }
      staged.put(ref, out);
    });
    spilled.putAll(staged); // only now were the layers read to their end and checked
    return spilled;
  }

  @Override
  public synchronized void close() {
    if (spillDir == null) {
      return;
    }
    try (Stream<Path> s = Files.walk(spillDir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
