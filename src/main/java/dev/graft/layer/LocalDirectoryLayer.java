package dev.graft.layer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A host directory (an app's {@code dist/}, a {@code node_modules} built on the host) as layer
 * entries, normalised so nothing about the host leaks in: owner 0:0, directories 0755, files
 * 0755 when the owner may execute them else 0644, symlinks kept as links (never followed),
 * no xattrs. {@code ignore} holds .dockerignore-style globs relative to the directory.
 */
public final class LocalDirectoryLayer {
  private static final int S_IFMT = 0170000;
  private static final int S_IFDIR = 0040000;
  private static final int S_IFREG = 0100000;
  private static final int S_IFLNK = 0120000;

  private LocalDirectoryLayer() {}

  public static List<LayerEntry> entries(Path dir, String destination, List<String> ignore) throws IOException {
    return entries(dir, destination, ignore, HostFileHashes.none());
  }

  /** As above; files' content hashes (their identities) come from {@code hashes} when unchanged. */
  public static List<LayerEntry> entries(Path dir, String destination, List<String> ignore, HostFileHashes hashes)
      throws IOException {
    if (Files.isRegularFile(dir, LinkOption.NOFOLLOW_LINKS)) {
      return List.of(file(dir, destination, hashes));
    }
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(dir + " is not a directory");
    }
    String dest = TarPaths.clean(destination);
    List<Pattern> patterns = ignore.stream().map(LocalDirectoryLayer::pattern).toList();
    List<LayerEntry> out = new ArrayList<>();
    if (!dest.equals("/")) {
      out.add(LayerEntry.directory(dest, 0755, 0, 0));
    }
    walk(dir, "", dest, patterns, hashes, out);
    return out;
  }

  /**
   * Adds the entries under {@code d} ({@code rel} from the root). One {@code lstat} per path gives
   * its type, mode and the stamp {@link HostFileHashes} trusts, so a rebuild stats each file once.
   */
  private static void walk(Path d, String rel, String dest, List<Pattern> patterns, HostFileHashes hashes,
      List<LayerEntry> out) throws IOException {
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(d)) {
      s.forEach(children::add);
    }
    for (Path f : children) {
      String childRel = rel.isEmpty() ? f.getFileName().toString() : rel + "/" + f.getFileName();
      if (ignored(patterns, childRel)) {
        continue;
      }
      Map<String, Object> a = Files.readAttributes(f, "unix:mode,size,lastModifiedTime,ctime,ino",
          LinkOption.NOFOLLOW_LINKS);
      int mode = (Integer) a.get("mode");
      switch (mode & S_IFMT) {
        case S_IFDIR -> {
          out.add(LayerEntry.directory(target(dest, childRel), 0755, 0, 0));
          walk(f, childRel, dest, patterns, hashes, out);
        }
        case S_IFLNK -> out.add(LayerEntry.symlink(target(dest, childRel), Files.readSymbolicLink(f).toString(), 0, 0));
        case S_IFREG -> {
          boolean exec = (mode & 0100) != 0; // the owner may execute it
          HostFileHashes.Stamp stamp = HostFileHashes.stamp(a);
          out.add(LayerEntry.file(target(dest, childRel), exec ? 0755 : 0644, 0, 0, stamp.size(),
              new HostFile(f, stamp, hashes)));
        }
        default -> throw new IOException(f + " is neither a file, a directory nor a symlink (sockets, fifos and devices"
            + " cannot be copied from the host; add it to the ignore list)");
      }
    }
  }

  /**
   * A single file (a Dockerfile's {@code COPY run.sh /usr/bin/run-app}): placed at
   * {@code destination}, or under it when it ends with {@code /}.
   */
  private static LayerEntry file(Path f, String destination, HostFileHashes hashes) throws IOException {
    String path = destination.endsWith("/") ? TarPaths.join(TarPaths.clean(destination), f.getFileName().toString())
        : TarPaths.clean(destination);
    if (path.equals("/")) {
      throw new IOException("cannot place the file " + f + " at /");
    }
    Map<String, Object> a = Files.readAttributes(f, "unix:mode,size,lastModifiedTime,ctime,ino", LinkOption.NOFOLLOW_LINKS);
    boolean exec = ((Integer) a.get("mode") & 0100) != 0;
    HostFileHashes.Stamp stamp = HostFileHashes.stamp(a);
    return LayerEntry.file(path, exec ? 0755 : 0644, 0, 0, stamp.size(), new HostFile(f, stamp, hashes));
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
    private final HostFileHashes.Stamp stamp;
    private final HostFileHashes hashes;
    private String identity;

    HostFile(Path path, HostFileHashes.Stamp stamp, HostFileHashes hashes) {
      this.path = path;
      this.stamp = stamp;
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
          identity = hashes.hash(path, stamp);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
      }
      return identity;
    }
  }
}
