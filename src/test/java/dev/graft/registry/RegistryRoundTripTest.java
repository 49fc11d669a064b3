package dev.graft.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.oci.Blob;
import dev.graft.oci.Descriptor;
import dev.graft.oci.ImageRef;
import dev.graft.testing.RegistryExtension;
import dev.graft.testing.Tools;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Push and pull against a real registry (plain HTTP on loopback), judged by skopeo. */
class RegistryRoundTripTest {
  @RegisterExtension
  static final RegistryExtension registry = RegistryExtension.plain();

  private ImageRef.Registry ref(String repoAndTag) {
    return (ImageRef.Registry) ImageRef.parse(registry.get().hostPort() + "/" + repoAndTag);
  }

  @Test
  void pushedImagePullsBackByteForByte() throws Exception {
    TestImage image = TestImage.alpine();
    ImageRef.Registry target = ref("acme/app:1.0");
    try (RegistrySink sink = new RegistrySink(target, RegistryOptions.defaults())) {
      image.pushTo(sink, null);
    }
    try (RegistrySource source = new RegistrySource(target, RegistryOptions.defaults())) {
      Blob root = source.root();
      assertThat(root).isEqualTo(image.manifest());
      assertThat(source.readBlob(image.config().descriptor())).isEqualTo(image.config());
      Descriptor layer = image.layerDescriptors().get(0);
      try (InputStream in = source.openBlob(layer)) {
        assertThat(in.readAllBytes()).isEqualTo(image.layers().get(0));
      }
      assertThat(source.manifest(root.descriptor())).isEqualTo(image.manifest());
    }
  }

  @Test
  void skopeoSeesExactlyTheManifestBytesWePushed() throws Exception {
    Tools.require("skopeo");
    TestImage image = TestImage.random(2, 4096, 11);
    ImageRef.Registry target = ref("acme/skopeo:v1");
    try (RegistrySink sink = new RegistrySink(target, RegistryOptions.defaults())) {
      image.pushTo(sink, null);
    }
    List<String> cmd = new ArrayList<>(List.of("skopeo", "inspect", "--raw"));
    cmd.addAll(registry.get().skopeoArgs());
    cmd.add("docker://" + target);
    String raw = Tools.runOk(Duration.ofSeconds(60), cmd.toArray(String[]::new)).stdout();
    assertThat(raw).isEqualTo(new String(image.manifest().bytes(), java.nio.charset.StandardCharsets.UTF_8));
  }
}
