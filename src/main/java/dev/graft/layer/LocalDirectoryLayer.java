package dev.graft.layer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A host directory (an app's {@code dist/}, a {@code node_modules} built on the host) as layer
 * entries, normalised so nothing about the host leaks in: owner 0:0, directories 0755, files
 * 0755 when the owner may execute them else 0644, symlinks kept as links (never followed),
 * no xattrs. {@code ignore} holds .dockerignore-style globs relative to the directory.
 */
public final class LocalDirectoryLayer {
  private LocalDirectoryLayer() {}

  public static List<LayerEntry> entries(Path dir, String destination, List<String> ignore) throws IOException {
    return entries(dir, destination, ignore, HostFileHashes.none());
  }

  /** As above; files' content hashes (their identities) come from {@code hashes} when unchanged. */
  public static List<LayerEntry> entries(Path dir, String destination, List<String> ignore, HostFileHashes hashes)
      throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(dir + " is not a directory");
    }
    String dest = TarPaths.clean(destination);
    List<Pattern> patterns = ignore.stream().map(LocalDirectoryLayer::pattern).toList();
    List<LayerEntry> out = new ArrayList<>();
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
        String rel = relative(dir, d);
        if (!rel.isEmpty() && ignored(patterns, rel)) {
          return FileVisitResult.SKIP_SUBTREE;
        }
        if (!dest.equals("/") || !rel.isEmpty()) {
          out.add(LayerEntry.directory(target(dest, rel), 0755, 0, 0));
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
        String rel = relative(dir, f);
        if (ignored(patterns, rel)) {
          return FileVisitResult.CONTINUE;
        }
        if (attrs.isSymbolicLink()) {
          out.add(LayerEntry.symlink(target(dest, rel), Files.readSymbolicLink(f).toString(), 0, 0));
        } else if (attrs.isRegularFile()) {
          boolean exec = Files.getPosixFilePermissions(f, LinkOption.NOFOLLOW_LINKS)
              .contains(PosixFilePermission.OWNER_EXECUTE);
          out.add(LayerEntry.file(target(dest, rel), exec ? 0755 : 0644, 0, 0, attrs.size(), new HostFile(f, hashes)));
        } else {
          throw new IOException(f + " is neither a file, a directory nor a symlink (sockets, fifos and devices"
              + " cannot be copied from the host; add it to the ignore list)");
        }
        return FileVisitResult.CONTINUE;
      }
    });
    return out;
  }

  private static String relative(Path root, Path p) {
    StringBuilder b = new StringBuilder();
    for (Path part : root.relativize(p)) {
      if (!part.toString().isEmpty()) {
        b.append(b.length() == 0 ? "" : "/").append(part);
      }
    }
    return b.toString();
  }

  private static String target(String dest, String rel) {
    return rel.isEmpty() ? dest : TarPaths.join(dest, rel);
  }

  private static Pattern pattern(String glob) {
    String g = glob.strip();
    while (g.startsWith("/") || g.startsWith("./")) {
      g = g.substring(g.startsWith("/") ? 1 : 2);
    }
    if (g.endsWith("/")) {
      g = g.substring(0, g.length() - 1);
    }
    return Globs.compile(g);
  }

  private static boolean ignored(List<Pattern> patterns, String rel) {
    for (String a = rel; !a.isEmpty(); a = a.contains("/") ? a.substring(0, a.lastIndexOf('/')) : "") {
      for (Pattern p : patterns) {
        if (p.matcher(a).matches()) {
          return true;
        }
      }
    }
    return false;
  }

  /** A host file; its identity is its content hash, so the layer cache notices any change. */
  private static final class HostFile implements ContentSource {
    private final Path path;
    private final HostFileHashes hashes;
    private String identity;

    HostFile(Path path, HostFileHashes hashes) {
      this.path = path;
      this.hashes = hashes;
    }

    @Override
    public InputStream open() throws IOException {
      return Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public Optional<SeekableByteChannel> openChannel() throws IOException {
      return Optional.of(FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
    }

    @Override
    public synchronized String identity() {
      if (identity == null) {
        try {
          identity = hashes.hash(path);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
      }
      return identity;
    }
  }
}
