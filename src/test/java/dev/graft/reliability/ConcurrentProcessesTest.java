package dev.graft.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.oci.Platform;
import dev.graft.testing.AlpineImages;
import dev.graft.testing.AlpineImages.Fixture;
import dev.graft.testing.GraftProcess;
import dev.graft.testing.RegistryExtension;
import dev.graft.testing.Tools;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two graft processes (separate JVMs) writing to the same place at once both finish, and what
 * they leave is valid: same registry repository with shared blobs, and the same OCI layout.
 */
class ConcurrentProcessesTest {
  @RegisterExtension
  static final RegistryExtension registry = RegistryExtension.plain();

  @Test
  void twoProcessesPushingSharedBlobsToOneRepositoryBothSucceed(@TempDir Path tmp) throws Exception {
    Fixture single = AlpineImages.singlePlatformLayout(tmp.resolve("single"), "3.16", Platform.LINUX_AMD64);
    Fixture multi = AlpineImages.layout(tmp.resolve("multi"), "3.16"); // shares the amd64 layer and config
    String repo = registry.get().hostPort() + "/race/app";

    GraftProcess a = GraftProcess.start(Map.of(), "copy", "-q", single.ref(), repo + ":single");
    GraftProcess b = GraftProcess.start(Map.of(), "copy", "-q", multi.ref(), repo + ":multi");
    GraftProcess.Result ra = a.await();
    GraftProcess.Result rb = b.await();

    assertThat(ra.exitCode()).as(ra.err()).isZero();
    assertThat(rb.exitCode()).as(rb.err()).isZero();
    assertThat(Faults.tagDigest(registry.get(), "race/app:single")).isEqualTo(single.root().digest());
    assertThat(Faults.tagDigest(registry.get(), "race/app:multi")).isEqualTo(multi.root().digest());
    Tools.runOk(Duration.ofSeconds(120), "skopeo", "copy", "--src-tls-verify=false", "--all",
        "docker://" + repo + ":multi", "oci:" + tmp.resolve("judge") + ":multi");
  }

  @Test
  void twoProcessesWritingOneLayoutBothSucceedAndBothTagsRemain(@TempDir Path tmp) throws Exception {
    Fixture a316 = AlpineImages.singlePlatformLayout(tmp.resolve("a316"), "3.16", Platform.LINUX_AMD64);
    Fixture a318 = AlpineImages.singlePlatformLayout(tmp.resolve("a318"), "3.18", Platform.LINUX_AMD64);
    Path shared = tmp.resolve("shared");
    Path existing = tmp.resolve("existing");
    assertThat(Cli.run("copy", "-q", a316.ref(), "oci:" + existing + ":first").exitCode()).isZero();

    // a new directory both create, and an existing layout whose index.json both edit
    List<GraftProcess> runs = List.of(
        GraftProcess.start(Map.of(), "copy", "-q", a316.ref(), "oci:" + shared + ":a"),
        GraftProcess.start(Map.of(), "copy", "-q", a318.ref(), "oci:" + shared + ":b"),
        GraftProcess.start(Map.of(), "copy", "-q", a316.ref(), "oci:" + existing + ":a"),
        GraftProcess.start(Map.of(), "copy", "-q", a318.ref(), "oci:" + existing + ":b"));
    for (GraftProcess p : runs) {
      GraftProcess.Result r = p.await();
      assertThat(r.exitCode()).as(r.err()).isZero();
    }

    for (String ref : List.of(shared + ":a", shared + ":b", existing + ":first", existing + ":a", existing + ":b")) {
      Tools.runOk(Duration.ofSeconds(60), "skopeo", "inspect", "oci:" + ref);
    }
    Tools.runOk(Duration.ofSeconds(120), "umoci", "unpack", "--rootless", "--image", shared + ":b",
        tmp.resolve("bundle").toString());
  }
}
