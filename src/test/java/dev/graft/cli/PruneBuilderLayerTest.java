package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.testing.ExampleApp;
import dev.graft.testing.Tools;
import dev.graft.testing.UnpackedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code prune: platform} on a builder layer's node_modules (opt-in there): bcrypt's prebuilds
 * for other systems, and its musl build (the grafted node is glibc), are left out; the image
 * still verifies and bcrypt still works.
 */
class PruneBuilderLayerTest {
  @Test
  void pruneLeavesOutOtherPlatformsPrebuildsOfABuilderLayer(@TempDir Path tmp) throws IOException {
    Path app = ExampleApp.copyTo(tmp.resolve("app"));
    Path yaml = app.resolve("graft.yaml");
    Files.writeString(yaml, Files.readString(yaml).replace("    to: /app/node_modules\n",
        "    to: /app/node_modules\n    prune: platform\n"));
    CliRun r = CliRun.of("build", "-f", yaml.toString(), "--cache-dir", tmp.resolve("cache").toString(),
        "--platform", "linux/amd64", "--to", "oci:" + tmp.resolve("out") + ":latest", "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("NPM_PRUNED", "layer 'deps': prune: platform removed");
    UnpackedImage image = UnpackedImage.of(tmp.resolve("run"), "oci:" + tmp.resolve("out") + ":latest", "amd64");
    Path prebuilds = image.rootfs().resolve("app/node_modules/bcrypt/prebuilds");
    try (var s = Files.walk(prebuilds)) {
      assertThat(s.filter(p -> !p.equals(prebuilds)).map(p -> prebuilds.relativize(p).toString()).toList())
          .containsExactlyInAnyOrder("linux-x64", "linux-x64/bcrypt.glibc.node"); // emptied folders go too
    }
    Tools.Result run = image.runEntrypoint();
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stdout()).contains("\"bcrypt\":true");
  }
}
