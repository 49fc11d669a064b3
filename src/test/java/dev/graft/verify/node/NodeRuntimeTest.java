package dev.graft.verify.node;

import static dev.graft.testing.NpmFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.oci.Platform;
import dev.graft.testing.Tools;
import dev.graft.verify.image.HostDirImageFiles;
import dev.graft.verify.loader.ImageContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What graft tells about real node binaries from npm, against what each node says of itself. */
class NodeRuntimeTest {
  @TempDir Path tmp;

  @Test
  void knowsTheNodeApiVersionOfEachNodeWithoutItsHeadersAndWhetherItReadsDeclaredVersions() throws IOException {
    for (String spec : List.of(NODE16_X64, NODE_X64, NODE22_X64)) {
      Path root = tmp.resolve(spec);
      Files.createDirectories(root.resolve("opt/bare/bin"));
      Files.createLink(root.resolve("opt/bare/bin/node"), file(spec, "bin/node")); // no include/ beside it
      Tools.runOk(Duration.ofMinutes(1), "cp", "-al", pkg(spec).toString(), root.resolve("opt/full").toString());
      ImageContext ctx = ImageContext.of(new HostDirImageFiles(root), Platform.LINUX_AMD64, List.of());

      NodeRuntime bare = NodeRuntime.detect(ctx, "/opt/bare/bin/node").orElseThrow();
      NodeRuntime full = NodeRuntime.detect(ctx, "/opt/full/bin/node").orElseThrow();
      assertThat(bare.napiVersion()).isEqualTo(-1);
      assertThat(full.napiVersion()).as(spec + " headers").isPositive();
      String says = Tools.runOk(Duration.ofMinutes(1), file(spec, "bin/node").toString(), "-p",
          "process.versions.napi + ' ' + process.versions.modules").stdout().trim();
      assertThat(bare.nodeApiVersion() + " " + bare.moduleVersion()).as(spec).isEqualTo(says);
      assertThat(full.nodeApiVersion() + " " + full.moduleVersion()).as(spec).isEqualTo(says);
      // Node 16 never looks up node_api_module_get_api_version_v1; Node 20 and 22 do
      assertThat(bare.readsDeclaredNodeApiVersion(ctx.files())).as(spec).isEqualTo(!spec.equals(NODE16_X64));
    }
  }
}
