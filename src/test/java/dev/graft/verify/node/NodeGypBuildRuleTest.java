package dev.graft.verify.node;

import static dev.graft.testing.NpmFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.oci.Platform;
import dev.graft.testing.Tools;
import dev.graft.verify.image.HostDirImageFiles;
import dev.graft.verify.image.ImageFiles;
import dev.graft.verify.loader.ImageContext;
import dev.graft.verify.loader.Libc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * node-gyp-build's choice among bcrypt@6's real prebuilds, as graft predicts it for an image, and
 * what node-gyp-build 4.8.4 itself returns for the same platform, arch and libc (run by the host's
 * node, with arch and libc passed through the variables node-gyp-build reads).
 */
class NodeGypBuildRuleTest {
  private static final String BCRYPT_DIR = "/app/node_modules/bcrypt";
  @TempDir Path tmp;

  static Stream<Arguments> platforms() {
    List<Arguments> out = new ArrayList<>();
    for (String platform : List.of("linux/amd64", "linux/arm64", "linux/arm/v7")) {
      for (boolean alpineRelease : List.of(false, true)) {
        for (String libcEnv : new String[] {null, "glibc", "musl"}) {
          out.add(Arguments.of(platform, alpineRelease, libcEnv));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}, /etc/alpine-release {1}, LIBC={2}")
  @MethodSource("platforms")
  void picksTheBcryptPrebuildNodeGypBuildPicks(String platform, boolean alpineRelease, String libcEnv) throws IOException {
    Path root = image(alpineRelease);
    List<String> env = libcEnv == null ? List.of() : List.of("LIBC=" + libcEnv);
    ImageContext ctx = ImageContext.of(new HostDirImageFiles(root), Platform.parse(platform), env);
    // the node binary's own libc plays no part: a glibc node on Alpine still gets musl builds
    NodeGypBuild target = NodeGypBuild.of(ctx, NpmPlatform.of(ctx, Optional.of(Libc.GLIBC)), "/usr/local/bin/node", 115);
    String libc = libcEnv != null ? libcEnv : alpineRelease ? "musl" : "glibc";
    assertThat(target.libc()).isEqualTo(libc);
    assertThat(target.libcReason()).contains(libcEnv != null ? "LIBC=" + libcEnv : "/etc/alpine-release");

    Prebuilds pb = Prebuilds.of(ctx.files(), bcrypt(ctx), target).orElseThrow();
    String cpu = target.arch();
    assertThat(pb.loaded()).contains(BCRYPT_DIR + "/prebuilds/linux-" + cpu + "/bcrypt." + libc + ".node");
    assertThat(nodeGypBuild(root, target)).isEqualTo(pb.loaded().get());
  }

  @Test
  void findsNothingForACpuBcryptHasNoPrebuildForAsNodeGypBuildDoes() throws IOException {
    Path root = image(false);
    ImageContext ctx = ImageContext.of(new HostDirImageFiles(root), Platform.parse("linux/s390x"), List.of());
    NodeGypBuild target = NodeGypBuild.of(ctx, NpmPlatform.of(ctx), "/usr/local/bin/node", 115);
    Prebuilds pb = Prebuilds.of(ctx.files(), bcrypt(ctx), target).orElseThrow();
    assertThat(pb.loaded()).isEmpty();
    assertThat(pb.available()).contains("linux-x64", "linux-arm64", "win32-x64");
    Tools.Result r = run(root, target);
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr()).contains("No native build was found for platform=linux arch=s390x");
  }

  @Test
  void prefersALocalBuildUnlessPrebuildsOnlyIsSet() throws IOException {
    Path root = image(true);
    Files.createDirectories(root.resolve("app/node_modules/bcrypt/build/Release"));
    Files.copy(file(BCRYPT, "prebuilds/linux-x64/bcrypt.glibc.node"),
        root.resolve("app/node_modules/bcrypt/build/Release/bcrypt_lib.node"));
    for (List<String> env : List.of(List.<String>of(), List.of("PREBUILDS_ONLY=1"))) {
      ImageContext ctx = ImageContext.of(new HostDirImageFiles(root), Platform.parse("linux/amd64"), env);
      NodeGypBuild target = NodeGypBuild.of(ctx, NpmPlatform.of(ctx), "/usr/local/bin/node", 115);
      Prebuilds pb = Prebuilds.of(ctx.files(), bcrypt(ctx), target).orElseThrow();
      assertThat(pb.loaded()).contains(env.isEmpty() ? BCRYPT_DIR + "/build/Release/bcrypt_lib.node"
          : BCRYPT_DIR + "/prebuilds/linux-x64/bcrypt.musl.node");
      assertThat(nodeGypBuild(root, target)).isEqualTo(pb.loaded().get());
    }
  }

  @Test
  void readsWhichNodeGypBuildMajorAPackageLoadsWith() throws IOException {
    Path root = image(false);
    copy(pkg(PPROF), root.resolve("app/node_modules/@datadog/pprof"));
    ImageFiles files = new HostDirImageFiles(root);
    // pprof pins "<4.0" (the 3.x names node-115.node), bcrypt "^4.8.4"; both resolve 4.8.4 here
    assertThat(Prebuilds.loaderMajor(files, NpmPackage.read(files, "/app/node_modules/@datadog/pprof").orElseThrow()))
        .isEqualTo(3);
    assertThat(Prebuilds.loaderMajor(files, NpmPackage.read(files, BCRYPT_DIR).orElseThrow())).isEqualTo(4);
    ImageContext ctx = ImageContext.of(files, Platform.parse("linux/amd64"), List.of());
    NodeGypBuild target = NodeGypBuild.of(ctx, NpmPlatform.of(ctx), "/usr/local/bin/node", 115);
    assertThat(Prebuilds.of(files, NpmPackage.read(files, "/app/node_modules/@datadog/pprof").orElseThrow(), target)
        .orElseThrow().loaded()).contains("/app/node_modules/@datadog/pprof/prebuilds/linux-x64/node-115.node");
  }

  private static NpmPackage bcrypt(ImageContext ctx) {
    return NpmPackage.read(ctx.files(), BCRYPT_DIR).orElseThrow();
  }

  /** A tree with bcrypt and node-gyp-build installed in /app, and Alpine's marker file if asked. */
  private Path image(boolean alpineRelease) throws IOException {
    Path root = tmp.resolve("root");
    copy(pkg(BCRYPT), root.resolve("app/node_modules/bcrypt"));
    copy(pkg(NODE_GYP_BUILD), root.resolve("app/node_modules/node-gyp-build"));
    if (alpineRelease) {
      Files.createDirectories(root.resolve("etc"));
      Files.writeString(root.resolve("etc/alpine-release"), "3.16.9\n");
    }
    return root;
  }

  private static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    Tools.runOk(Duration.ofMinutes(2), "cp", "-a", "--no-preserve=ownership", from.toString(), to.toString());
  }

  /** node-gyp-build's own answer, as an image path. */
  private static String nodeGypBuild(Path root, NodeGypBuild target) {
    Tools.Result r = run(root, target);
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    return "/" + root.relativize(Path.of(r.stdout().trim()));
  }

  private static Tools.Result run(Path root, NodeGypBuild target) {
    List<String> cmd = new ArrayList<>(List.of("env", "-i", "PATH=" + System.getenv("PATH"),
        "npm_config_arch=" + target.arch(), "LIBC=" + target.libc()));
    if (!target.armv().isEmpty()) {
      cmd.add("ARM_VERSION=" + target.armv());
    }
    if (target.prebuildsOnly()) {
      cmd.add("PREBUILDS_ONLY=1");
    }
    String dir = root.resolve("app/node_modules").toString();
    cmd.addAll(List.of("node", "-e", "console.log(require('" + dir + "/node-gyp-build').resolve('" + dir + "/bcrypt'))"));
    return Tools.run(Duration.ofMinutes(1), null, cmd);
  }
}
