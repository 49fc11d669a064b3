package dev.graft.npm;

import dev.graft.layer.ContentSource;
import dev.graft.layer.EntryType;
import dev.graft.layer.TarEntry;
import dev.graft.layer.TarReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * A package tarball unpacked once into the graft cache ({@code npm/unpacked/<integrity key>/}),
 * so a layer can read any of its files in any order. What is kept is what pacote extracts for
 * {@code npm ci}: regular files only (links, directory and device entries are skipped), the
 * first path segment stripped, a {@code .gitignore} renamed {@code .npmignore} unless one came
 * before it, and for a path written twice the last copy. Files are stored by number beside an
 * index of their paths, so no name in a hostile tarball becomes a name on the host; the whole
 * directory is renamed into place once complete, and the tarball is checked against its
 * integrity while it is read.
 */
public final class UnpackedTarball {
  private static final String INDEX = "index.tsv";

  private final Path dir;
  private final Integrity integrity;
  private final List<PackageFile> files;
  private final Map<String, Integer> numbers;

  private UnpackedTarball(Path dir, Integrity integrity, List<PackageFile> files, Map<String, Integer> numbers) {
    this.dir = dir;
    this.integrity = integrity;
    this.files = List.copyOf(files);
    this.numbers = Map.copyOf(numbers);
  }

  /** The unpacked copy of a cached tarball, made now when the cache has none. {@code what} names the package. */
  public static UnpackedTarball open(Path graftCacheDir, Integrity integrity, Path tarball, String what)
      throws IOException {
    Path root = graftCacheDir.resolve("npm").resolve("unpacked");
    Path dir = root.resolve(integrity.key());
    if (!Files.isRegularFile(dir.resolve(INDEX))) {
      unpack(root, dir, integrity, tarball, what);
    }
    return read(dir, integrity, what);
  }

  public List<PackageFile> files() {
    return files;
  }

  public Integrity integrity() {
    return integrity;
  }

  public Optional<PackageFile> file(String path) {
    Integer n = numbers.get(path);
    return n == null ? Optional.empty() : Optional.of(files.get(n));
  }

  /** The bytes of one file (small files: package.json). */
  public byte[] read(String path) throws IOException {
    Integer n = numbers.get(path);
    if (n == null) {
      throw new java.nio.file.NoSuchFileException(path);
    }
    return Files.readAllBytes(stored(n));
  }

  /** Reopenable content of one file; its identity names the tarball and path, so no byte is read for a cache key. */
  public ContentSource content(String path) {
    Integer n = numbers.get(path);
    if (n == null) {
      throw new IllegalArgumentException("no file " + path + " in " + integrity.key());
    }
    Path p = stored(n);
    String identity = "npm:" + integrity.key() + ":" + path;
    return new ContentSource() {
      @Override
      public InputStream open() throws IOException {
        return Files.newInputStream(p);
      }

      @Override
      public String identity() {
        return identity;
      }

      @Override
      public Optional<SeekableByteChannel> openChannel() throws IOException {
        return Optional.of(FileChannel.open(p, StandardOpenOption.READ));
      }
    };
  }

  private Path stored(int n) {
    return dir.resolve("f").resolve(Integer.toString(n));
  }

  private static UnpackedTarball read(Path dir, Integrity integrity, String what) throws IOException {
    List<PackageFile> files = new ArrayList<>();
    Map<String, Integer> numbers = new LinkedHashMap<>();
    for (String line : Files.readAllLines(dir.resolve(INDEX), StandardCharsets.UTF_8)) {
      String[] f = line.split("\t", 3);
      if (f.length != 3) {
        throw new IOException("damaged unpacked copy of " + what + " in " + dir + "; delete that directory");
      }
      numbers.put(f[2], files.size());
      files.add(new PackageFile(f[2], Integer.parseInt(f[0], 8), Long.parseLong(f[1])));
    }
    return new UnpackedTarball(dir, integrity, files, numbers);
  }

  private static void unpack(Path root, Path dir, Integrity integrity, Path tarball, String what) throws IOException {
    Files.createDirectories(root);
    Path tmp = Files.createTempDirectory(root, ".unpack");
    try {
      Path store = Files.createDirectories(tmp.resolve("f"));
      Map<String, PackageFile> byPath = new LinkedHashMap<>();
      Map<String, Path> where = new LinkedHashMap<>();
      java.util.Set<String> sawNpmignore = new java.util.HashSet<>();
      MessageDigest md = integrity.newDigest();
      int seq = 0;
      try (InputStream raw = Files.newInputStream(tarball);
           DigestInputStream digesting = new DigestInputStream(raw, md);
           InputStream gz = new GZIPInputStream(digesting, 1 << 16);
           TarReader tar = new TarReader(gz, what)) {
        for (TarEntry e; (e = tar.next()) != null; ) {
          if (e.metadata().type() != EntryType.FILE) {
            continue; // pacote writes regular files only
          }
          String path = stripFirst(e.path());
          if (path == null) {
            continue;
          }
          String base = path.substring(path.lastIndexOf('/') + 1);
          if (base.equals(".npmignore")) {
            sawNpmignore.add(path);
          } else if (base.equals(".gitignore")) {
            String renamed = path.substring(0, path.length() - ".gitignore".length()) + ".npmignore";
            if (sawNpmignore.contains(renamed)) {
              continue;
            }
            path = renamed;
          }
          Path f = store.resolve(Integer.toString(seq++));
          try (InputStream in = tar.content()) {
            Files.copy(in, f);
          }
          byPath.remove(path); // a path written again moves to where the last copy was
          byPath.put(path, new PackageFile(path, e.metadata().mode(), Files.size(f)));
          where.put(path, f);
        }
        digesting.transferTo(java.io.OutputStream.nullOutputStream()); // the whole file counts
      } catch (dev.graft.layer.LayerFormatException | java.util.zip.ZipException | java.io.EOFException e) {
        throw new NpmException(what + ": its tarball is damaged or hostile: " + e.getMessage(), e);
      }
      if (!integrity.matches(md.digest())) {
        Files.deleteIfExists(tarball);
        throw new NpmException(what + ": the cached tarball " + tarball + " does not match the lockfile's integrity "
            + integrity + "; it was deleted, build again to download it anew");
      }
      // renumber in index order so file n is line n
      Path finalStore = Files.createDirectories(tmp.resolve("f2"));
      try (BufferedWriter w = Files.newBufferedWriter(tmp.resolve(INDEX + ".part"), StandardCharsets.UTF_8)) {
        int n = 0;
        for (PackageFile pf : byPath.values()) {
          if (pf.path().indexOf('\n') >= 0 || pf.path().indexOf('\t') >= 0) {
            throw new NpmException(what + ": its tarball has a file name with a tab or newline: " + pf.path().strip());
          }
          Files.move(where.get(pf.path()), finalStore.resolve(Integer.toString(n++)));
          w.write(Integer.toOctalString(pf.tarMode()) + "\t" + pf.size() + "\t" + pf.path() + "\n");
        }
      }
      deleteTree(store);
      Files.move(finalStore, store);
      Files.move(tmp.resolve(INDEX + ".part"), tmp.resolve(INDEX));
      try {
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
        // another build unpacked the same tarball meanwhile: theirs is as good
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, dir);
      }
    } finally {
      if (Files.exists(tmp)) {
        deleteTree(tmp);
      }
    }
  }

  /** The path without its first segment ({@code /package/lib/x.js} → {@code lib/x.js}); null when nothing is left. */
  static String stripFirst(String absolute) {
    String p = absolute.startsWith("/") ? absolute.substring(1) : absolute;
    int slash = p.indexOf('/');
    if (slash < 0 || slash == p.length() - 1) {
      return null;
    }
    return p.substring(slash + 1);
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var s = Files.walk(p)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(x -> {
        try {
          Files.delete(x);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
