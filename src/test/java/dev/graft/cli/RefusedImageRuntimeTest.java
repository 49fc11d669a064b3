package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.testing.ContainerExit;
import dev.graft.testing.ContainerRuntimeExtension;
import dev.graft.testing.ExampleApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.ContainerLaunchException;

/**
 * Images verify refuses, written anyway with {@code --verify=warn}, fail in a real container
 * runtime the way verify said they would: the example with node taken without its closure
 * (no libstdc++: the loader's "cannot open shared object file"; no glibc loader at all: the
 * kernel's ENOENT for a file that is there).
 */
class RefusedImageRuntimeTest {
  @RegisterExtension
  static final ContainerRuntimeExtension runtime = new ContainerRuntimeExtension();

  /** The example with node's layer replaced by {@code nodeLayer} and the deps layer's closure off. */
  static String buildRefused(Path tmp, String nodeLayer, String expectedFinding) throws Exception {
    Path app = ExampleApp.copyTo(tmp.resolve("app"));
    String yaml = Files.readString(app.resolve("graft.yaml"));
    Files.writeString(app.resolve("graft.yaml"), yaml.replace("  - recipe: node-runtime\n", nodeLayer + "\n")
        .replace("    to: /app/node_modules\n", "    to: /app/node_modules\n    closure: off\n"));
    String archive = "oci-archive:" + tmp.resolve("refused.tar");
    String[] args = {"build", "-f", app.resolve("graft.yaml").toString(), "--cache-dir", tmp.resolve("cache").toString(),
        "--platform", "linux/amd64", "--to", archive};
    CliRun strict = CliRun.of(args);
    assertThat(strict.exitCode()).as("strict verification refuses it").isNotZero();
    assertThat(strict.err()).contains(expectedFinding);
    assertThat(tmp.resolve("refused.tar")).doesNotExist();

    CliRun warn = CliRun.of(concat(args, "--verify=warn"));
    assertThat(warn.exitCode()).as(warn.err()).isZero();
    assertThat(warn.err()).contains(expectedFinding);
    return archive;
  }

  @Test
  void aMissingLibraryVerifyNamedStopsNodeInTheRuntime(@TempDir Path tmp) throws Exception {
    String archive = buildRefused(tmp, "  - { name: node, from: builder, paths: [/usr/local/bin/node, /lib64,"
        + " /lib/x86_64-linux-gnu], closure: off }",
        "libstdc++.so.6 (needed by /usr/local/bin/node) is not found");
    ContainerExit exit = runtime.runToExit(runtime.container(runtime.load(archive, "amd64")), Duration.ofMinutes(2));
    assertThat(exit.exitCode()).as("the loader's exit code").isEqualTo(127);
    assertThat(exit.stderr()).contains("error while loading shared libraries: libstdc++.so.6: cannot open shared"
        + " object file: No such file or directory");
    assertThat(exit.stdout()).isEmpty();
  }

  @Test
  void aMissingLoaderVerifyNamedMakesTheRuntimesExecFail(@TempDir Path tmp) throws Exception {
    String archive = buildRefused(tmp, "  - { name: node, from: builder, paths: [/usr/local/bin/node], closure: off }",
        "its loader /lib64/ld-linux-x86-64.so.2 does not exist, so starting it fails with 'No such file or directory'");
    CliRun ls = CliRun.of("ls", archive, "/usr/local/bin/node");
    assertThat(ls.out()).as("node itself is in the image").contains("/usr/local/bin/node");
    // runc finds node on PATH, then execve() fails: ENOENT names node, though it is the loader that is missing.
    // podman starts the container and records the failure as its error (exit 1); Docker refuses the start.
    String image = runtime.load(archive, "amd64");
    String message;
    try {
      ContainerExit exit = runtime.runToExit(runtime.container(image), Duration.ofMinutes(2));
      assertThat(exit.exitCode()).isNotZero();
      message = exit.error() + "\n" + exit.stderr();
    } catch (ContainerLaunchException e) {
      message = messages(e);
    }
    assertThat(message).contains("exec /usr/local/bin/node: no such file or directory");
  }

  private static String messages(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      sb.append(c.getMessage()).append('\n');
    }
    return sb.toString();
  }

  private static String[] concat(String[] a, String b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + 1);
    out[a.length] = b;
    return out;
  }
}
