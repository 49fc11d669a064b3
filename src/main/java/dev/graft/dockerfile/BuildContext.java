package dev.graft.dockerfile;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The build context a Dockerfile's {@code COPY} and {@code ADD} read from (the app directory):
 * sources are relative to it whatever they look like ({@code /rootfs}, {@code ./rootfs/} and
 * {@code rootfs} are the same), may not leave it, and may be globs with Go's
 * {@code filepath.Match} rules ({@code *} and {@code ?} within one path component,
 * {@code [a-z]}, {@code [^a]}, {@code \} escaping), matched in sorted order as BuildKit does.
 */
public final class BuildContext {
  private final Path dir;

  public BuildContext(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  public Path dir() {
    return dir;
  }

  /** The context-relative paths a source names ("" for the whole context), or an error message. */
  public List<String> sources(String source) {
    String clean = clean(source);
    if (clean == null) {
      throw new IllegalArgumentException("'" + source + "' is outside the build context (" + dir + ")");
    }
    if (!isGlob(clean)) {
      if (!Files.exists(path(clean), LinkOption.NOFOLLOW_LINKS)) {
        throw new IllegalArgumentException("'" + source + "' not found in the build context (" + dir + ")");
      }
      return List.of(clean);
    }
    List<String> out = new ArrayList<>();
    match("", List.of(clean.split("/")), out);
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no file in the build context (" + dir + ") matches '" + source + "'");
    }
    return out;
  }

  /** The file or directory at a context-relative path. */
  public Path path(String relative) {
    return relative.isEmpty() ? dir : dir.resolve(relative);
  }

  public boolean isDirectory(String relative) {
    return Files.isDirectory(path(relative), LinkOption.NOFOLLOW_LINKS);
  }

  public boolean isSymlink(String relative) {
    return Files.isSymbolicLink(path(relative));
  }

  /** Whether ADD would unpack this file: a tar, or a tar compressed with gzip, bzip2, xz or zstd (by content). */
  public boolean isArchive(String relative) {
    Path p = path(relative);
    if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    byte[] head = new byte[512];
    int n;
    try (InputStream in = Files.newInputStream(p)) {
      n = in.readNBytes(head, 0, head.length);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
    }
    if (starts(head, n, 0x1f, 0x8b) || starts(head, n, 'B', 'Z', 'h') || starts(head, n, 0xfd, '7', 'z', 'X', 'Z', 0)
        || starts(head, n, 0x28, 0xb5, 0x2f, 0xfd)) {
      return true;
    }
    return n >= 262 && new String(head, 257, 5, java.nio.charset.StandardCharsets.US_ASCII).equals("ustar");
  }

  private static boolean starts(byte[] b, int n, int... magic) {
    if (n < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if ((b[i] & 0xff) != magic[i]) {
        return false;
      }
    }
    return true;
  }

  /** A source made context-relative and normalised; null when it leaves the context. */
  static String clean(String source) {
    List<String> parts = new ArrayList<>();
    for (String p : source.split("/")) {
      if (p.isEmpty() || p.equals(".")) {
        continue;
      }
      if (p.equals("..")) {
        if (parts.isEmpty()) {
          return null;
        }
        parts.remove(parts.size() - 1);
      } else {
        parts.add(p);
      }
    }
    return String.join("/", parts);
  }

  static boolean isGlob(String s) {
    return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('\\') >= 0;
  }

  private void match(String prefix, List<String> rest, List<String> out) {
    String part = rest.get(0);
    List<String> remaining = rest.subList(1, rest.size());
    List<String> names = new ArrayList<>();
    if (isGlob(part)) {
      Pattern p = componentPattern(part);
      Path d = path(prefix);
      if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
        return;
      }
      try (DirectoryStream<Path> s = Files.newDirectoryStream(d)) {
        for (Path c : s) {
          String n = c.getFileName().toString();
          if (p.matcher(n).matches()) {
            names.add(n);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + d + ": " + e.getMessage(), e);
      }
      names.sort(null);
    } else {
      names.add(part);
    }
    for (String n : names) {
      String rel = prefix.isEmpty() ? n : prefix + "/" + n;
      if (remaining.isEmpty()) {
        if (Files.exists(path(rel), LinkOption.NOFOLLOW_LINKS)) {
          out.add(rel);
        }
      } else {
        match(rel, remaining, out);
      }
    }
  }

  /** Go's filepath.Match for one component. */
  static Pattern componentPattern(String glob) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> re.append("[^/]*");
        case '?' -> re.append("[^/]");
        case '\\' -> {
          if (i + 1 < glob.length()) {
            re.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
          }
        }
        case '[' -> {
          int end = glob.indexOf(']', i + 2);
          if (end < 0) {
            throw new IllegalArgumentException("bad pattern '" + glob + "': unclosed [");
          }
          String set = glob.substring(i + 1, end);
          boolean negate = set.startsWith("^") || set.startsWith("!");
          re.append('[').append(negate ? "^" : "");
          for (char sc : (negate ? set.substring(1) : set).toCharArray()) {
            re.append(sc == '-' || Character.isLetterOrDigit(sc) ? String.valueOf(sc) : "\\" + sc);
          }
          re.append(']');
          i = end;
        }
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString());
  }

  @Override
  public String toString() {
    return dir.toString();
  }
}
