package dev.graft.assemble;

import dev.graft.fs.FileTree;
import dev.graft.fs.TreeEntry;
import dev.graft.layer.EntryMetadata;
import dev.graft.layer.LayerEntry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Dockerfile COPY's {@code --chmod} and {@code --chown} applied to the entries it writes.
 * {@code --chmod} is octal ({@code 755}) or symbolic ({@code u+x}, {@code go=rX}); links keep
 * their mode. {@code --chown} is {@code user[:group]}, numbers or names looked up in the base
 * image's {@code /etc/passwd} and {@code /etc/group} (as BuildKit does); without a group the
 * group id is the user id (Docker's documented rule).
 */
final class CopyModes {
  private CopyModes() {}

  static List<LayerEntry> apply(List<LayerEntry> entries, Optional<String> chmod, Optional<String> chown,
      FileTree base) {
    if (chmod.isEmpty() && chown.isEmpty()) {
      return entries;
    }
    long[] owner = chown.map(c -> owner(c, base)).orElse(null);
    List<LayerEntry> out = new ArrayList<>(entries.size());
    for (LayerEntry e : entries) {
      EntryMetadata m = e.metadata();
      if (!m.isSymlink()) {
        m = m.withMode(chmod.map(c -> mode(c, e)).orElse(m.mode()));
      }
      out.add(e.withMetadata(owner == null ? m : m.withOwner(owner[0], owner[1])));
    }
    return out;
  }

  /** The new permission bits of an entry under {@code chmod}. */
  static int mode(String chmod, LayerEntry e) {
    if (chmod.matches("[0-7]{3,4}")) {
      return Integer.parseInt(chmod, 8);
    }
    int mode = e.metadata().mode();
    boolean dir = e.metadata().isDirectory();
    for (String clause : chmod.split(",")) {
      int op = firstOf(clause, "+-=");
      String who = clause.substring(0, op);
      char o = clause.charAt(op);
      String perms = clause.substring(op + 1);
      int whoMask = who.isEmpty() || who.contains("a") ? 07777 : 0;
      if (who.contains("u")) {
        whoMask |= 04700;
      }
      if (who.contains("g")) {
        whoMask |= 02070;
      }
      if (who.contains("o")) {
        whoMask |= 01007;
      }
      int bits = 0;
      for (char p : perms.toCharArray()) {
        bits |= switch (p) {
          case 'r' -> 0444;
          case 'w' -> 0222;
          case 'x' -> 0111;
          case 'X' -> dir || (mode & 0111) != 0 ? 0111 : 0;
          case 's' -> 06000;
          default -> 01000; // 't'
        };
      }
      bits &= whoMask;
      mode = switch (o) {
        case '+' -> mode | bits;
        case '-' -> mode & ~bits;
        default -> (mode & ~(whoMask & 0777)) | bits;
      };
    }
    return mode & 07777;
  }

  private static int firstOf(String s, String chars) {
    for (int i = 0; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    throw new IllegalArgumentException("--chmod=" + s + " has no +, - or =");
  }

  /** {uid, gid} for {@code user[:group]}. */
  static long[] owner(String chown, FileTree base) {
    int colon = chown.indexOf(':');
    String user = colon < 0 ? chown : chown.substring(0, colon);
    String group = colon < 0 ? null : chown.substring(colon + 1);
    long uid = id(user, "/etc/passwd", "user", base);
    long gid = group == null ? uid : id(group, "/etc/group", "group", base);
    return new long[] {uid, gid};
  }

  private static long id(String name, String file, String what, FileTree base) {
    if (name.matches("\\d+")) {
      return Long.parseLong(name);
    }
    for (String line : lines(file, base)) {
      String[] f = line.split(":", -1);
      if (f.length >= 3 && f[0].equals(name) && f[2].matches("\\d+")) {
        return Long.parseLong(f[2]);
      }
    }
    throw new IllegalArgumentException("--chown: no " + what + " '" + name + "' in the base image's " + file
        + " (use a number, or a base that has the " + what + ")");
  }

  private static List<String> lines(String file, FileTree base) {
    Optional<TreeEntry> n = base.find(file).filter(e -> e.metadata().isRegular());
    if (n.isEmpty()) {
      return List.of();
    }
    try (InputStream in = base.openContent(n.get())) {
      return List.of(new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8).split("\n"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + " of the base image: " + e.getMessage(), e);
    }
  }
}
