package dev.graft.reliability;

import static dev.graft.reliability.Faults.copy;
import static dev.graft.reliability.Faults.fastRetries;
import static dev.graft.reliability.Faults.tagDigest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.oci.Platform;
import dev.graft.registry.RegistryException;
import dev.graft.testing.AlpineImages;
import dev.graft.testing.AlpineImages.Fixture;
import dev.graft.testing.Fault;
import dev.graft.testing.FaultProxy;
import dev.graft.testing.RegistryExtension;
import dev.graft.transfer.CopyResult;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushing through a FaultProxy in front of a real registry: each transient fault is ridden out;
 * each permanent one fails with a clear error and leaves the tag on the image it named before.
 */
class PushUnderFaultsTest {
  @RegisterExtension
  static final RegistryExtension registry = RegistryExtension.plain();

  private static final String UPLOAD_PUT = "/v2/.*/blobs/uploads/.*digest=.*";
  private static final String TAG_PUT = "/v2/.*/manifests/(?!sha256:).*";

  @TempDir
  static Path tmp;

  private FaultProxy proxy;
  private static Fixture alpine315;
  private static Fixture alpine316;

  @org.junit.jupiter.api.BeforeAll
  static void images() {
    alpine315 = AlpineImages.singlePlatformLayout(tmp.resolve("a315"), "3.15", Platform.LINUX_AMD64);
    alpine316 = AlpineImages.singlePlatformLayout(tmp.resolve("a316"), "3.16", Platform.LINUX_AMD64);
  }

  @BeforeEach
  void startProxy() throws Exception {
    proxy = FaultProxy.start(registry.get().hostPort());
  }

  @AfterEach
  void stopProxy() throws Exception {
    proxy.close();
  }

  private String via(String repoAndTag) {
    return proxy.hostPort() + "/" + repoAndTag;
  }

  @Test
  void ridesOutServerErrorsOnBlobUploads() throws Exception {
    proxy.on("PUT", UPLOAD_PUT, Fault.status(500));
    proxy.on("PUT", UPLOAD_PUT, Fault.status(502));
    proxy.on("PUT", UPLOAD_PUT, Fault.status(503));

    CopyResult r = copy(alpine316.ref(), via("t5xx/app:1"), fastRetries());

    assertThat(tagDigest(registry.get(), "t5xx/app:1")).isEqualTo(r.rootDigest());
    assertThat(proxy.requests("PUT", UPLOAD_PUT)).extracting(FaultProxy.Request::status)
        .contains(500, 502, 503).filteredOn(s -> s == 201).hasSize(2);
  }
}
