package dev.graft.assemble;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.config.ImageConfigSpec;
import dev.graft.oci.Blob;
import dev.graft.oci.ImageConfig;
import dev.graft.oci.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A Dockerfile's ENV PATH=/app/bin:$PATH is filled in with the base image's PATH when the config is composed. */
class EnvTemplateTest {
  @Test
  void baseImageNamesAndLiteralDollarsAreFilledIn() {
    assertThat(EnvTemplate.expand("/app/bin:${PATH}:$$HOME ${NOPE}.", Map.of("PATH", "/usr/bin:/bin")))
        .isEqualTo("/app/bin:/usr/bin:/bin:$HOME .");
  }

  @Test
  void composeUsesTheBaseEnvironmentOnlyForTemplates() {
    Blob base = new Blob(MediaTypes.OCI_CONFIG, """
        {"architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/local/bin:/usr/bin","HOME=/root"]},
         "rootfs":{"type":"layers","diff_ids":[]}}""".getBytes(StandardCharsets.UTF_8));
    ImageConfigSpec spec = new ImageConfigSpec(Map.of("PATH", "/app/bin:${PATH}", "LITERAL", "${PATH}"), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), List.of(), Map.of(), List.of(), Optional.empty(),
        Optional.empty(), Set.of("PATH"));
    List<String> env = new ComposeConfig(ImageConfig.parse(base), spec, List.of(), java.time.Instant.EPOCH,
        MediaTypes.OCI_CONFIG).env();
    assertThat(env).containsExactly("PATH=/app/bin:/usr/local/bin:/usr/bin", "HOME=/root", "LITERAL=${PATH}");
  }
}
