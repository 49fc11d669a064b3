package dev.graft.transfer;

import static dev.graft.transfer.LocalRoundTripTest.copy;
import static dev.graft.transfer.LocalRoundTripTest.root;
import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.oci.Blob;
import dev.graft.oci.Platform;
import dev.graft.testing.AlpineImages;
import dev.graft.testing.AlpineImages.Fixture;
import dev.graft.testing.RegistryExtension;
import dev.graft.testing.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** OCI layout → registry → OCI archive → registry → OCI layout keeps the index and manifest digests. */
class RegistryRoundTripThroughArchiveTest {
  @RegisterExtension
  static final RegistryExtension registry = RegistryExtension.plain();

  @Test
  void roundTripThroughRegistryAndArchiveKeepsEveryDigest(@TempDir Path tmp) throws IOException {
    Fixture alpine = AlpineImages.layout(tmp.resolve("alpine"), "3.18");
    String host = registry.get().hostPort();
    String first = host + "/roundtrip/alpine:3.18";
    String archive = "oci-archive:" + tmp.resolve("alpine.tar") + ":3.18";
    String second = host + "/roundtrip/again:3.18";
    String back = "oci:" + tmp.resolve("back") + ":3.18";

    List<CopyResult> results = new ArrayList<>();
    results.add(copy(alpine.ref(), first, Optional.empty()));
    results.add(copy(first, archive, Optional.empty()));
    results.add(copy(archive, second, Optional.empty()));
    results.add(copy(second, back, Optional.empty()));

    for (CopyResult r : results) {
      assertThat(r.rootDigest()).isEqualTo(alpine.root().digest());
      assertThat(r.manifests()).hasSize(3);
      for (PlatformManifest m : r.manifests()) {
        assertThat(m.digest()).isEqualTo(alpine.manifests().get(m.platform()).digest());
      }
    }
    assertThat(root(back).bytes()).isEqualTo(alpine.root().bytes());
    // skopeo, reading the registry copy on its own, sees the same bytes.
    List<String> cmd = new ArrayList<>(List.of("skopeo", "inspect", "--raw"));
    cmd.addAll(registry.get().skopeoArgs());
    cmd.add("docker://" + second);
    String raw = Tools.run(Duration.ofMinutes(1), null, cmd).assertSuccess(cmd).stdout();
    assertThat(raw).isEqualTo(new String(alpine.root().bytes(), StandardCharsets.UTF_8));
    // Each layer blob came back byte for byte.
    for (Platform p : AlpineImages.PLATFORMS) {
      var layer = alpine.manifest(p).layers().get(0).digest();
      assertThat(tmp.resolve("back/blobs/sha256/" + layer.hex())).hasSameBinaryContentAs(alpine.blob(layer));
    }
  }

  @Test
  void pullsOnePlatformFromTheRegistry(@TempDir Path tmp) throws IOException {
    Fixture alpine = AlpineImages.layout(tmp.resolve("alpine"), "3.16");
    String ref = registry.get().hostPort() + "/roundtrip/one:3.16";
    copy(alpine.ref(), ref, Optional.empty());
    CopyResult r = copy(ref, "oci:" + tmp.resolve("arm64") + ":x", Optional.of(Platform.LINUX_ARM64));
    Blob got = root("oci:" + tmp.resolve("arm64") + ":x");
    assertThat(got.digest()).isEqualTo(alpine.manifests().get(Platform.LINUX_ARM64).digest());
    assertThat(r.blobsCopied()).isEqualTo(2);
    try (var blobs = Files.list(tmp.resolve("arm64/blobs/sha256"))) {
      assertThat(blobs.count()).isEqualTo(3); // manifest, config, layer: nothing of other platforms
    }
  }

  @Test
  void copyWithinOneRegistryMountsBlobsInsteadOfUploadingThem(@TempDir Path tmp) throws IOException {
    Fixture alpine = AlpineImages.layout(tmp.resolve("alpine"), "3.15", "3.15", List.of(Platform.LINUX_AMD64, Platform.LINUX_ARM64));
    String host = registry.get().hostPort();
    copy(alpine.ref(), host + "/mount/src:1", Optional.empty());
    CopyResult r = copy(host + "/mount/src:1", host + "/mount/dst:1", Optional.empty());
    assertThat(r.rootDigest()).isEqualTo(alpine.root().digest());
    // 2 platforms × (config + layer), each mounted from mount/src: no upload into mount/dst.
    assertThat(registry.get().logLines("\"POST /v2/mount/dst/blobs/uploads/?mount=")).hasSize(4)
        .allSatisfy(line -> assertThat(line).contains("from=mount%2Fsrc").contains("\" 201 "));
    assertThat(registry.get().logLines("\"PUT /v2/mount/src/blobs/uploads/")).hasSize(4); // the log shows uploads
    assertThat(registry.get().logLines("\"PUT /v2/mount/dst/blobs/uploads/")).isEmpty();
  }
}
