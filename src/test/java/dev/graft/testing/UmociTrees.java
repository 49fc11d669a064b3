package dev.graft.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Unpacks an OCI layout with umoci and describes the resulting rootfs, one line per path. */
public final class UmociTrees {
  private UmociTrees() {}

  /** {@code path → "type mode uid:gid size target sha256"} for every path under the unpacked rootfs. */
  public static Map<String, String> unpack(Path layout, String tag, Path bundle) throws IOException {
    Tools.require("umoci");
    Tools.runOk(Duration.ofMinutes(10), "umoci", "unpack", "--image", layout + ":" + tag, bundle.toString());
    return describeRootfs(bundle.resolve("rootfs"));
  }

  /** {@code path → "type mode uid:gid size target sha256"} for every path under a directory. */
  public static Map<String, String> describeRootfs(Path rootfs) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(rootfs)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (p.equals(rootfs)) {
          continue;
        }
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        String type = switch (mode & 0170000) {
          case 0100000 -> "file";
          case 0040000 -> "dir";
          case 0120000 -> "symlink";
          case 0020000 -> "char";
          case 0060000 -> "block";
          case 0010000 -> "fifo";
          default -> "other";
        };
        String target = type.equals("symlink") ? Files.readSymbolicLink(p).toString() : "";
        long size = type.equals("file") ? (Long) a.get("size") : 0;
        String hash = type.equals("file") ? sha256(p) : "";
        out.put("/" + rootfs.relativize(p), describe(type, mode & 07777, (Integer) a.get("uid"), (Integer) a.get("gid"),
            size, target, hash));
      }
    }
    return out;
  }

  public static String describe(String type, int mode, long uid, long gid, long size, String target, String hash) {
    return type + " " + Integer.toOctalString(mode) + " " + uid + ":" + gid + " " + size + " " + target + " " + hash;
  }

  private static String sha256(Path p) throws IOException {
    try (InputStream in = Files.newInputStream(p)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
