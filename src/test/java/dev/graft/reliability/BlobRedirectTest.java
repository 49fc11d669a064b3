package dev.graft.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.oci.ImageRef;
import dev.graft.oci.ImageSink;
import dev.graft.oci.ImageSource;
import dev.graft.oci.Platform;
import dev.graft.registry.Credentials;
import dev.graft.registry.RegistryOptions;
import dev.graft.testing.AlpineImages;
import dev.graft.testing.AlpineImages.Fixture;
import dev.graft.testing.Fault;
import dev.graft.testing.FaultProxy;
import dev.graft.testing.RealRegistry;
import dev.graft.testing.RegistryExtension;
import dev.graft.transfer.CopyListener;
import dev.graft.transfer.CopyResult;
import dev.graft.transfer.ImageCopier;
import dev.graft.transfer.Images;
import dev.graft.transfer.TransferOptions;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registries send blob downloads to object storage on another host. graft follows the redirect
 * without the registry's Authorization header (the object store must never see the credentials),
 * and still verifies what it downloads.
 */
class BlobRedirectTest {
  @RegisterExtension
  static final RegistryExtension registry = RegistryExtension.htpasswd();

  private static CopyResult copy(String src, String dst, Credentials creds) throws Exception {
    TransferOptions opts = new TransferOptions(
        RegistryOptions.defaults().withCredentials(creds).withRetry(Faults.fastRetries()), 4);
    try (ImageSource in = Images.open(ImageRef.parse(src), opts);
        ImageSink out = Images.create(ImageRef.parse(dst), opts)) {
      return new ImageCopier(4, CopyListener.NONE).copy(in, out, Optional.empty());
    }
  }

  @Test
  void followsABlobRedirectToAnotherHostWithoutTheCredentials(@TempDir Path tmp) throws Exception {
    RealRegistry r = registry.get();
    Credentials creds = new Credentials(r.username(), r.password());
    Fixture alpine = AlpineImages.singlePlatformLayout(tmp.resolve("a"), "3.16", Platform.LINUX_AMD64);
    copy(alpine.ref(), r.hostPort() + "/redirect/app:1", creds);

    try (FaultProxy proxy = FaultProxy.start(r.hostPort())) {
      proxy.on("GET", "/v2/redirect/app/blobs/sha256:.*", Fault.redirectToObjectStore()).always();

      CopyResult pulled = copy(proxy.hostPort() + "/redirect/app:1", "oci:" + tmp.resolve("out") + ":x", creds);

      assertThat(pulled.rootDigest()).isEqualTo(alpine.root().digest());
      var redirected = proxy.requests("GET", "/v2/redirect/app/blobs/.*");
      assertThat(redirected).hasSizeGreaterThanOrEqualTo(2) // layer and config (read for the platform too)
          .allSatisfy(q -> {
            assertThat(q.status()).isEqualTo(307);
            assertThat(q.authorization()).as("the registry itself gets the credentials").isTrue();
          });
      assertThat(proxy.objectRequests()).hasSize(redirected.size())
          .allSatisfy(o -> assertThat(o.authorization()).as("the object store never does").isFalse());
    }
  }
}
