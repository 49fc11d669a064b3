package dev.graft.verify.image;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The files of a {@link FileTree} that verification can read (ELF files, package.json, loader
 * configuration), spilled to a temporary directory in one pass over every layer on first use and
 * removed by {@link #close()}.
 *
 * <p>A layer is a stream, and opening one file means streaming its layer up to it; the loader
 * emulation opens dozens of files, so reading each layer once wins. Files not spilled are streamed
 * from their layer.
 */
final class SpilledContents implements TreeImageFiles.TreeContents, Closeable {
  private static final long MAX_SPILLED_TEXT = 1 << 20;

  private final FileTree tree;
  private dev.graft.oci.StagingDir staging; // removed on close, and on SIGINT/SIGTERM
  private Path spillDir;
  private final Map<ContentRef, Path> spilled = new HashMap<>();

  SpilledContents(FileTree tree) {
    this.tree = tree;
  }

  @Override
  public InputStream open(TreeEntry n) throws IOException {
    Path local = spill().get(n.content());
    return local != null ? Files.newInputStream(local) : tree.openContent(n);
  }

  @Override
  public Optional<SeekableByteChannel> openChannel(TreeEntry n) throws IOException {
    Path local = spill().get(n.content());
    return local != null ? Optional.of(Files.newByteChannel(local)) : Optional.empty();
  }

  /** Streams each layer once, keeping what verification reads. */
  private synchronized Map<ContentRef, Path> spill() throws IOException {
    if (spillDir != null) {
      return spilled;
    }
    staging = dev.graft.oci.StagingDir.create(Path.of(System.getProperty("java.io.tmpdir")), "graft-verify-");
    spillDir = staging.path();
    Map<ContentRef, Path> staged = new HashMap<>();
    // every file's first bytes, without listing the files (an image may hold a million)
    tree.readEveryContent((ref, layerPath, size, content) -> {
      String name = layerPath.substring(layerPath.lastIndexOf('/') + 1);
      byte[] head = content.readNBytes(4);
      // *.node of other OSes (Mach-O, PE prebuilds) are opened to be told apart from ELF ones
      boolean text = name.endsWith(".node") || size <= MAX_SPILLED_TEXT && (name.equals("package.json")
          || name.endsWith(".h") || layerPath.startsWith("/etc/ld"));
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
    if (staging == null) {
      return;
    }
    try {
      staging.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
