package dev.graft.sbom;

import dev.graft.verify.image.ImageFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the distribution's package database from an image: every installed apk (with the files
 * it owns) or dpkg package, and {@code /etc/os-release} for the distribution's id and version.
 */
public final class OsPackages {
  /** Package databases larger than this are not read (Debian's full status file is a few MiB). */
  static final int MAX_DATABASE_BYTES = 64 << 20;

  private OsPackages() {}

  /** The distribution: {@code ID} and {@code VERSION_ID} of /etc/os-release (or /usr/lib/os-release). */
  public record Distro(String id, String versionId) {}

  public static Optional<Distro> distro(ImageFiles files) {
    for (String path : List.of("/etc/os-release", "/usr/lib/os-release")) {
      Optional<String> text = read(files, path);
      if (text.isPresent()) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : text.get().split("\n")) {
          int eq = line.indexOf('=');
          if (eq > 0) {
            fields.put(line.substring(0, eq).trim(), unquote(line.substring(eq + 1).trim()));
          }
        }
        if (fields.containsKey("ID")) {
          return Optional.of(new Distro(fields.get("ID"), fields.getOrDefault("VERSION_ID", "")));
        }
      }
    }
    return Optional.empty();
  }

  public static List<OsPackage> read(ImageFiles files) {
    List<OsPackage> out = new ArrayList<>();
    read(files, "/lib/apk/db/installed").ifPresent(t -> out.addAll(apk(t)));
    read(files, "/var/lib/dpkg/status").ifPresent(t -> out.addAll(dpkg(t)));
    for (String name : files.list("/var/lib/dpkg/status.d")) { // distroless keeps one file per package
      read(files, "/var/lib/dpkg/status.d/" + name).ifPresent(t -> out.addAll(dpkg(t)));
    }
    return out;
  }

  /** apk's database: blank-line separated records of {@code X:value} lines; F: starts a directory, R: a file in it. */
  static List<OsPackage> apk(String text) {
    List<OsPackage> out = new ArrayList<>();
    for (String record : text.split("\n\n")) {
      Map<String, String> f = new LinkedHashMap<>();
      List<String> owned = new ArrayList<>();
      String dir = "";
      for (String line : record.split("\n")) {
        if (line.length() < 2 || line.charAt(1) != ':') {
          continue;
        }
        String key = line.substring(0, 1);
        String value = line.substring(2);
        if (key.equals("F")) {
          dir = value;
        } else if (key.equals("R")) {
          owned.add("/" + (dir.isEmpty() ? "" : dir + "/") + value);
        } else {
          f.putIfAbsent(key, value);
        }
      }
      if (f.containsKey("P")) {
        out.add(new OsPackage("apk", f.get("P"), f.get("V"), f.get("A"), f.get("L"), f.get("o"), owned));
      }
    }
    return out;
  }

  /** dpkg's status: RFC 822 style stanzas; only packages whose Status ends in "installed". */
  static List<OsPackage> dpkg(String text) {
    List<OsPackage> out = new ArrayList<>();
    for (String stanza : text.split("\n\n")) {
      Map<String, String> f = new LinkedHashMap<>();
      for (String line : stanza.split("\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && !Character.isWhitespace(line.charAt(0))) {
          f.putIfAbsent(line.substring(0, colon), line.substring(colon + 1).trim());
        }
      }
      String status = f.getOrDefault("Status", "install ok installed");
      if (f.containsKey("Package") && status.endsWith(" installed")) {
        String source = f.getOrDefault("Source", "").split(" ")[0];
        out.add(new OsPackage("deb", f.get("Package"), f.get("Version"), f.get("Architecture"), "", source, List.of()));
      }
    }
    return out;
  }

  private static Optional<String> read(ImageFiles files, String path) {
    Optional<ImageFiles.Entry> e = files.lstat(path);
    if (e.isEmpty() || !e.get().isFile() || e.get().size() > MAX_DATABASE_BYTES) {
      return Optional.empty();
    }
    try (InputStream in = files.open(path)) {
      return Optional.of(new String(in.readNBytes(MAX_DATABASE_BYTES), StandardCharsets.UTF_8));
    } catch (IOException e2) {
      return Optional.empty();
    }
  }

  private static String unquote(String s) {
    return s.length() >= 2 && (s.startsWith("\"") || s.startsWith("'")) ? s.substring(1, s.length() - 1) : s;
  }
}
