package dev.graft.npm;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.layer.ContentSource;
import dev.graft.layer.LayerEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Lays out the packages of a {@link Selection} under a directory as {@code npm ci
 * --ignore-scripts} leaves them with umask 022: each package's files at its lockfile path, mode
 * {@code (tar mode | 0666) & ~022} (pacote's fmode, then the umask), directories 0755 (pacote
 * writes no directory entries of its own); for each {@code bin} whose target exists, a relative
 * symlink in the nearest {@code node_modules/.bin} (the shallowest, then first by path, package
 * wins a name, as bin-links' collision rule under arborist's ordering) and the target made 0755
 * with a CRLF ending of its {@code #!} line made LF (bin-links' fix-bin); and
 * {@code node_modules/.package-lock.json}, npm's hidden lockfile of what was installed. Owners
 * are 0:0; times are the layer writer's. With a {@link PlatformPrune}, files it names are left out
 * and counted.
 */
public final class NodeModulesLayout {
  private static final int UMASK = 022;

  private NodeModulesLayout() {}

  /**
   * @param to the directory node_modules goes into (absolute image path)
   * @param tarballs each installed package's unpacked tarball by install path (not for bundled ones)
   */
  public static LaidOut layout(String to, Lockfile lock, Selection selection, Map<String, UnpackedTarball> tarballs,
      Optional<PlatformPrune> prune) throws IOException {
    String base = to.equals("/") ? "" : to;
    TreeMap<String, LayerEntry> entries = new TreeMap<>();
    Set<String> dirs = new HashSet<>();
    int prunedFiles = 0;
    long prunedBytes = 0;
    List<InstalledPackage> packages = new ArrayList<>();
    // which file (owner tarball, path inside it) each installed file path is, for bin targets
    Map<String, Owned> files = new java.util.HashMap<>();
    for (LockedPackage p : selection.installed()) {
      packages.add(new InstalledPackage(base + "/" + p.path(), p.name(), p.version(), p.resolved(),
          p.integrity().map(Integrity::toString), p.license()));
      addDirs(dirs, p.path());
      if (p.inBundle()) {
        continue;
      }
      UnpackedTarball t = tarballs.get(p.path());
      if (t == null) {
        throw new IllegalArgumentException("no tarball for " + p.path());
      }
      for (PackageFile f : t.files()) {
        String rel = p.path() + "/" + f.path();
        if (prune.isPresent() && prune.get().reasonForTreePath(rel).isPresent()) {
          prunedFiles++;
          prunedBytes += f.size();
          continue;
        }
        files.put(rel, new Owned(t, f));
        addDirs(dirs, rel.substring(0, rel.lastIndexOf('/')));
      }
    }
    // bins, shallowest packages first, then by path: the first to claim a .bin name keeps it
    List<LockedPackage> byDepth = new ArrayList<>(selection.installed());
    byDepth.sort(Comparator.comparingInt((LockedPackage p) -> depth(p.path())).thenComparing(LockedPackage::path));
    Set<String> claimed = new HashSet<>();
    Map<String, String> links = new TreeMap<>();
    Set<String> binTargets = new HashSet<>();
    for (LockedPackage p : byDepth) {
      String binDir = p.path().substring(0, p.path().length() - Lockfile.folderName(p.path()).length()) + ".bin";
      for (Map.Entry<String, String> b : p.bin().entrySet()) {
        String link = binDir + "/" + b.getKey();
        String target = p.path() + "/" + b.getValue();
        if (!files.containsKey(target) || !claimed.add(link)) {
          continue; // bin-links skips a missing target; a name already linked stays as it is
        }
        links.put(link, relative(binDir, target));
        binTargets.add(target);
        dirs.add(binDir);
      }
    }
    for (String d : dirs) {
      entries.put(base + "/" + d, LayerEntry.directory(base + "/" + d, 0755, 0, 0));
    }
    for (Map.Entry<String, Owned> e : files.entrySet()) {
      String path = base + "/" + e.getKey();
      Owned o = e.getValue();
      ContentSource content = o.tarball().content(o.file().path());
      long size = o.file().size();
      int mode = (o.file().tarMode() | 0666) & ~UMASK;
      if (binTargets.contains(e.getKey())) {
        mode = 0777 & ~UMASK;
        byte[] fixed = unixHashBang(content);
        if (fixed != null) {
          content = ContentSource.ofBytes(fixed);
          size = fixed.length;
        }
      }
      entries.put(path, LayerEntry.file(path, mode, 0, 0, size, content));
    }
    links.forEach((link, target) -> entries.put(base + "/" + link, LayerEntry.symlink(base + "/" + link, target, 0, 0)));
    if (!selection.installed().isEmpty()) {
      byte[] hidden = hiddenLockfile(lock, selection, tarballs);
      String path = base + "/node_modules/.package-lock.json";
      entries.put(path, LayerEntry.file(path, 0666 & ~UMASK, 0, 0, hidden.length, ContentSource.ofBytes(hidden)));
    }
    return new LaidOut(new ArrayList<>(entries.values()), packages, prunedFiles, prunedBytes);
  }

  private record Owned(UnpackedTarball tarball, PackageFile file) {}

  /** Adds a directory and its parents (relative paths). */
  private static void addDirs(Set<String> dirs, String dir) {
    for (String d = dir; !d.isEmpty() && dirs.add(d); ) {
      int slash = d.lastIndexOf('/');
      d = slash < 0 ? "" : d.substring(0, slash);
    }
  }

  private static int depth(String path) {
    int n = 0;
    for (int i = path.indexOf("node_modules/"); i >= 0; i = path.indexOf("node_modules/", i + 1)) {
      n++;
    }
    return n;
  }

  /**
   * The entry with {@code key: true} added where npm's writer (json-stringify-nice) puts it:
   * scalar values before objects, version, resolved and integrity first, the rest by name.
   */
  static ObjectNode withKey(ObjectNode entry, String key) {
    List<String> preferred = List.of("name", "version", "lockfileVersion", "resolved", "integrity");
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    boolean placed = false;
    for (var it = entry.fields(); it.hasNext(); ) {
      var e = it.next();
      boolean before = !preferred.contains(e.getKey())
          && (e.getValue().isObject() || e.getKey().compareToIgnoreCase(key) > 0);
      if (!placed && before) {
        out.put(key, true);
        placed = true;
      }
      out.set(e.getKey(), e.getValue());
    }
    if (!placed) {
      out.put(key, true);
    }
    return out;
  }

  /** The symlink text from directory {@code fromDir} to {@code target} (both relative to the same root). */
  static String relative(String fromDir, String target) {
    String[] a = fromDir.split("/");
    String[] b = target.split("/");
    int common = 0;
    while (common < a.length && common < b.length - 1 && a[common].equals(b[common])) {
      common++;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = common; i < a.length; i++) {
      sb.append("../");
    }
    for (int i = common; i < b.length; i++) {
      sb.append(b[i]).append(i + 1 < b.length ? "/" : "");
    }
    return sb.toString();
  }

  /**
   * The file with the CR of a {@code #!…\r\n} first line removed (within the first 2048 bytes,
   * as fix-bin looks), or null when it has none.
   */
  static byte[] unixHashBang(ContentSource content) throws IOException {
    byte[] head;
    try (InputStream in = content.open()) {
      head = in.readNBytes(2048);
    }
    if (head.length < 4 || head[0] != '#' || head[1] != '!') {
      return null;
    }
    int nl = -1;
    for (int i = 0; i < head.length; i++) {
      if (head[i] == '\n') {
        nl = i;
        break;
      }
    }
    if (nl < 4 || head[nl - 1] != '\r') {
      return null;
    }
    byte[] all;
    try (InputStream in = content.open()) {
      all = in.readAllBytes();
    }
    byte[] out = new byte[all.length - 1];
    System.arraycopy(all, 0, out, 0, nl - 1);
    System.arraycopy(all, nl, out, nl - 1, all.length - nl);
    return out;
  }

  /**
   * npm's node_modules/.package-lock.json: the root's name and version and the installed entries
   * as locked, except that a package with a {@code binding.gyp} is marked {@code hasInstallScript}
   * (arborist's rebuild assumes node-gyp for it, as a lockfile entry carries no {@code gypfile}).
   */
  static byte[] hiddenLockfile(Lockfile lock, Selection selection, Map<String, UnpackedTarball> tarballs) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    lock.name().ifPresent(n -> root.put("name", n));
    lock.version().ifPresent(v -> root.put("version", v));
    root.put("lockfileVersion", 3);
    root.put("requires", true);
    ObjectNode pkgs = root.putObject("packages");
    for (LockedPackage p : selection.installed()) {
      UnpackedTarball t = tarballs.get(p.path());
      boolean gyp = t != null && t.file("binding.gyp").isPresent();
      pkgs.set(p.path(), gyp && !p.hasInstallScript() ? withKey(p.raw(), "hasInstallScript") : p.raw());
    }
    return (JsStringify.write(root) + "\n").getBytes(StandardCharsets.UTF_8);
  }
}
