package dev.graft.reliability;

import static dev.graft.reliability.Faults.copy;
import static dev.graft.reliability.Faults.fastRetries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.oci.Descriptor;
import dev.graft.oci.Platform;
import dev.graft.registry.RegistryException;
import dev.graft.testing.AlpineImages;
import dev.graft.testing.AlpineImages.Fixture;
import dev.graft.testing.Fault;
import dev.graft.testing.FaultProxy;
import dev.graft.testing.RegistryExtension;
import dev.graft.testing.Tools;
import dev.graft.transfer.CopyResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pulling through a FaultProxy: broken-off downloads resume (Range) and are still verified,
 * truncated manifests are fetched again, stalls are cut short; permanent faults fail clearly and
 * leave no half-written layout.
 */
class PullUnderFaultsTest {
  @RegisterExtension
  static final RegistryExtension registry = RegistryExtension.plain();

  private static final String BLOB_GET = "/v2/pull/alpine/blobs/sha256:.*";
  private static final String MANIFEST_GET = "/v2/pull/alpine/manifests/.*";

  @TempDir
  static Path images;

  private static Fixture alpine;
  private static Descriptor layer;
  private FaultProxy proxy;

  @BeforeAll
  static void pushSource() throws Exception {
    alpine = AlpineImages.singlePlatformLayout(images.resolve("a316"), "3.16", Platform.LINUX_AMD64);
    layer = alpine.manifest(Platform.LINUX_AMD64).layers().get(0);
    copy(alpine.ref(), registry.get().hostPort() + "/pull/alpine:3.16", fastRetries());
  }

  @BeforeEach
  void startProxy() throws Exception {
    proxy = FaultProxy.start(registry.get().hostPort());
  }

  @AfterEach
  void stopProxy() throws Exception {
    proxy.close();
  }

  private String source() {
    return proxy.hostPort() + "/pull/alpine:3.16";
  }

  /** skopeo (not graft) judges the layout graft wrote. */
  private static void assertValidLayout(Path dir) {
    Tools.require("skopeo");
    Tools.runOk(Duration.ofSeconds(60), "skopeo", "inspect", "oci:" + dir + ":out");
  }

  @Test
  void resumesABrokenOffBlobDownloadWithARangeRequest(@TempDir Path out) throws Exception {
    proxy.on("GET", "/v2/pull/alpine/blobs/" + layer.digest(), Fault.truncate(1_000_000));

    CopyResult r = copy(source(), "oci:" + out + ":out", fastRetries());

    assertThat(r.rootDigest()).isEqualTo(alpine.root().digest());
    var ranges = proxy.requests("GET", "/v2/pull/alpine/blobs/" + layer.digest()).stream()
        .map(FaultProxy.Request::range).toList();
    assertThat(ranges).hasSize(2).first().isNull();
    // from where the client had got to: at most what the proxy sent (the JDK may drop its last chunk)
    long from = Long.parseLong(ranges.get(1).replaceAll("bytes=([0-9]+)-", "$1"));
    assertThat(from).isPositive().isLessThanOrEqualTo(1_000_000);
    assertValidLayout(out);
  }

  @Test
  void resumesADownloadThatStallsPastTheTimeout(@TempDir Path out) throws Exception {
    proxy.on("GET", "/v2/pull/alpine/blobs/" + layer.digest(), Fault.stallBody(500_000, Duration.ofSeconds(20)));

    CopyResult r = copy(source(), "oci:" + out + ":out", fastRetries().withRequestTimeout(Duration.ofMillis(600)));

    assertThat(r.rootDigest()).isEqualTo(alpine.root().digest());
    assertThat(proxy.requests("GET", "/v2/pull/alpine/blobs/" + layer.digest()))
        .extracting(FaultProxy.Request::range).hasSize(2).last().asString().startsWith("bytes=");
    assertValidLayout(out);
  }

  @Test
  void fetchesATruncatedManifestAgain(@TempDir Path out) throws Exception {
    proxy.on("GET", MANIFEST_GET, Fault.truncate(100));

    CopyResult r = copy(source(), "oci:" + out + ":out", fastRetries());

    assertThat(r.rootDigest()).isEqualTo(alpine.root().digest());
    assertThat(proxy.requests("GET", MANIFEST_GET)).hasSize(2);
  }

  @Test
  void ridesOutServerErrorsAndResetsOnEveryKindOfRead(@TempDir Path out) throws Exception {
    proxy.on("GET", "/v2/", Fault.status(503));
    proxy.on("GET", MANIFEST_GET, Fault.status(502));
    proxy.on("GET", BLOB_GET, Fault.reset()).times(2);
    proxy.on("GET", BLOB_GET, Fault.tooManyRequests("0"));

    CopyResult r = copy(source(), "oci:" + out + ":out", fastRetries());

    assertThat(r.rootDigest()).isEqualTo(alpine.root().digest());
    assertValidLayout(out);
  }

  @Test
  void permanentBlobFailureNamesTheOperationAndLeavesNoLayout(@TempDir Path out) throws Exception {
    proxy.on("GET", "/v2/pull/alpine/blobs/" + layer.digest(), Fault.status(500)).always();
    Path target = out.resolve("layout");

    assertThatThrownBy(() -> copy(source(), "oci:" + target + ":out", fastRetries()))
        .isInstanceOfSatisfying(RegistryException.class, e -> {
          assertThat(e.status()).isEqualTo(500);
          assertThat(e.operation()).isEqualTo("pull of blob " + layer.digest());
          assertThat(e.getMessage()).contains("registry " + proxy.hostPort(), "repo 'pull/alpine'",
              "HTTP 500", "after 5 tries");
        });
    assertThat(proxy.requests("GET", "/v2/pull/alpine/blobs/" + layer.digest())).hasSize(5);
    assertThat(target).doesNotExist();
    try (var left = Files.list(out)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void permanentlyTruncatedDownloadFailsAfterItsTries(@TempDir Path out) throws Exception {
    proxy.on("GET", "/v2/pull/alpine/blobs/" + layer.digest(), Fault.truncate(10_000)).always();

    assertThatThrownBy(() -> copy(source(), "oci:" + out.resolve("x") + ":out", fastRetries().withMaxAttempts(3)))
        .hasMessageContaining("broke off after");
    assertThat(out.resolve("x")).doesNotExist();
  }
}
