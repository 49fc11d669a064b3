package dev.graft.npm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.layer.EntryType;
import dev.graft.layer.LayerEntry;
import dev.graft.testing.NpmApp;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The tree graft lays out from the fixture lockfile equals, file for file (paths, kinds, modes,
 * link targets, contents), what real {@code npm ci --omit=dev --ignore-scripts --os=linux
 * --cpu=… --libc=…} leaves with umask 022, for each of four targets; with {@code prune:
 * platform}, it equals that tree minus exactly the prebuilds for other platforms.
 */
class NpmCiEquivalenceTest {

  @ParameterizedTest(name = "linux/{0} {1}")
  @CsvSource({"x64, glibc", "arm64, glibc", "arm64, musl", "x64, musl"})
  void laysOutWhatNpmCiInstalls(String cpu, String libc) throws IOException {
    Path reference = NpmApp.npmCiTree(NpmApp.dir(), cpu, libc).resolve("node_modules");
    NpmInstall.Result r = install(cpu, libc, false);

    Map<String, String> expected = describe(reference);
    Map<String, String> actual = describe(r.laidOut().entries(), "/app/node_modules");
    assertThat(differences(expected, actual)).as("graft's tree vs npm ci's").isEmpty();
    // the platform packages that make this target: esbuild's, rollup's, sharp's and libvips'
    String musl = libc.equals("musl") ? "musl" : "";
    assertThat(actual).containsKeys("@esbuild/linux-" + cpu, "@img/sharp-linux" + musl + "-" + cpu,
        "@img/sharp-libvips-linux" + musl + "-" + cpu,
        "@rollup/rollup-linux-" + cpu + "-" + (libc.equals("musl") ? "musl" : "gnu"));
    assertThat(r.selection().installed()).hasSize(83); // as many as npm's hidden lockfile lists
  }

  @ParameterizedTest(name = "prune: platform, linux/{0} {1}")
  @CsvSource({"x64, glibc", "arm64, musl"})
  void pruneRemovesOnlyOtherPlatformsPrebuilds(String cpu, String libc) throws IOException {
    Path reference = NpmApp.npmCiTree(NpmApp.dir(), cpu, libc).resolve("node_modules");
    NpmInstall.Result r = install(cpu, libc, true);

    Map<String, String> expected = describe(reference);
    Map<String, String> actual = describe(r.laidOut().entries(), "/app/node_modules");
    List<String> removed = new ArrayList<>(expected.keySet());
    removed.removeAll(actual.keySet());
    Map<String, String> kept = new TreeMap<>(expected);
    kept.keySet().retainAll(actual.keySet());
    assertThat(differences(kept, actual)).as("graft's pruned tree vs npm ci's").isEmpty();
    String other = libc.equals("musl") ? "glibc" : "musl";
    String otherSqlite = libc.equals("musl") ? "linux-" + cpu : "linuxmusl-" + cpu;
    assertThat(removed).allSatisfy(p -> assertThat(p).matches(".*/prebuilds/.*"))
        .contains("bcrypt/prebuilds/darwin-arm64/bcrypt.node", "bcrypt/prebuilds/linux-" + cpu + "/bcrypt." + other + ".node",
            "better-sqlite3/prebuilds/win32-x64.node", "better-sqlite3/prebuilds/" + otherSqlite + ".node");
    String mine = libc.equals("musl") ? "linuxmusl-" + cpu : "linux-" + cpu;
    assertThat(actual).containsKeys("bcrypt/prebuilds/linux-" + cpu + "/bcrypt." + libc + ".node",
        "better-sqlite3/prebuilds/" + mine + ".node");
    long bytes = removed.stream().filter(p -> expected.get(p).startsWith("file")).count();
    assertThat(r.laidOut().prunedFiles()).isEqualTo((int) bytes);
    assertThat(r.laidOut().prunedBytes()).isGreaterThan(10_000_000L); // better-sqlite3's alone are 2 MB each
  }

  /** "path: expected ≠ actual" for each path the two descriptions disagree on. */
  static List<String> differences(Map<String, String> expected, Map<String, String> actual) {
    TreeMap<String, String> all = new TreeMap<>(expected);
    actual.forEach(all::putIfAbsent);
    List<String> out = new ArrayList<>();
    all.keySet().forEach(k -> {
      String e = expected.get(k);
      String a = actual.get(k);
      if (!java.util.Objects.equals(e, a)) {
        out.add(k + ": npm ci " + (e == null ? "has nothing" : e) + ", graft " + (a == null ? "has nothing" : a));
      }
    });
    return out;
  }

  static NpmInstall.Result install(String cpu, String libc, boolean prune) throws IOException {
    Lockfile lock = Lockfile.read(NpmApp.lockfile());
    NpmTarget target = new NpmTarget("linux", cpu, Libc.ofNpmName(libc).orElseThrow());
    return NpmInstall.run(lock, target, "/app", new NpmInstall.Options(Set.of(Omit.DEV), false, prune, true),
        NpmApp.graftCache(), NpmApp.fetcher(NpmApp.graftCache(), FetchListener.NONE));
  }

  /** path under node_modules → "kind mode target-or-sha256", for a directory on disk. */
  static Map<String, String> describe(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (p.equals(root)) {
          continue;
        }
        String rel = root.relativize(p).toString();
        int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
        if (Files.isSymbolicLink(p)) {
          out.put(rel, "symlink " + Files.readSymbolicLink(p));
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          out.put(rel, "dir " + Integer.toOctalString(mode));
        } else {
          try (InputStream in = Files.newInputStream(p)) {
            out.put(rel, "file " + Integer.toOctalString(mode) + " " + sha256(in));
          }
        }
      }
    }
    return out;
  }

  /** The same description for layer entries under {@code prefix}. */
  static Map<String, String> describe(List<LayerEntry> entries, String prefix) throws IOException {
    Map<String, String> out = new TreeMap<>();
    for (LayerEntry e : entries) {
      if (!e.path().startsWith(prefix + "/")) {
        continue;
      }
      String rel = e.path().substring(prefix.length() + 1);
      if (e.metadata().type() == EntryType.SYMLINK) {
        out.put(rel, "symlink " + e.metadata().linkTarget());
      } else if (e.metadata().type() == EntryType.DIR) {
        out.put(rel, "dir " + Integer.toOctalString(e.metadata().mode()));
      } else {
        try (InputStream in = e.content().open()) {
          out.put(rel, "file " + Integer.toOctalString(e.metadata().mode()) + " " + sha256(in));
        }
      }
    }
    return out;
  }

  static String sha256(InputStream in) throws IOException {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

}
