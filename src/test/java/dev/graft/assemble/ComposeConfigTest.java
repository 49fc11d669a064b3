package dev.graft.assemble;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.config.ImageConfigSpec;
import dev.graft.layer.Layer;
import dev.graft.oci.Blob;
import dev.graft.oci.Digest;
import dev.graft.oci.ImageConfig;
import dev.graft.oci.Json;
import dev.graft.oci.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The new image's config follows Docker's rules for what a Dockerfile's later stage inherits and overrides. */
class ComposeConfigTest {
  static final String BASE = """
      {"architecture":"amd64","os":"linux","created":"2024-01-26T00:00:00Z","author":"base maker",
       "config":{"Env":["PATH=/usr/bin:/bin","LANG=C.UTF-8","S6_VERBOSITY=1"],"Entrypoint":["/init"],
                 "Cmd":["/bin/sh"],"Labels":{"io.hass.type":"base","keep":"me"},"ExposedPorts":{"80/tcp":{}}},
       "history":[{"created":"2024-01-26T00:00:00Z","created_by":"ADD rootfs.tar /"}],
       "rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}
      """.formatted("a".repeat(64));

  static final Layer APP = new Layer(Digest.parse("sha256:" + "b".repeat(64)), Digest.parse("sha256:" + "c".repeat(64)),
      10, MediaTypes.OCI_LAYER_GZIP, Path.of("/nonexistent"));

  static ImageConfigSpec spec(Map<String, String> env, Optional<List<String>> entrypoint, Optional<List<String>> cmd) {
    return new ImageConfigSpec(env, Optional.of("/app"), entrypoint, cmd, Optional.empty(), List.of("8099/tcp"),
        Map.of("io.hass.type", "addon"), List.of(), Optional.empty(), Optional.empty());
  }

  static JsonNode compose(ImageConfigSpec spec) throws Exception {
    ImageConfig base = ImageConfig.parse(new Blob(MediaTypes.OCI_CONFIG, BASE.getBytes(StandardCharsets.UTF_8)));
    Blob out = new ComposeConfig(base, spec, List.of(new AddedLayer("app", "/src/dist", APP, false)),
        Instant.ofEpochSecond(1), MediaTypes.OCI_CONFIG).run();
    return Json.MAPPER.readTree(out.bytes());
  }

  @Test
  void mergesEnvByNameKeepingTheBasesOrderAndPath() throws Exception {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("S6_VERBOSITY", "2");
    env.put("NODE_ENV", "production");
    JsonNode c = compose(spec(env, Optional.empty(), Optional.empty())).get("config");
    assertThat(c.get("Env")).extracting(JsonNode::asText)
        .containsExactly("PATH=/usr/bin:/bin", "LANG=C.UTF-8", "S6_VERBOSITY=2", "NODE_ENV=production");
  }

  @Test
  void keepsTheBasesEntrypointAndCmdWhenNeitherIsSet() throws Exception {
    JsonNode c = compose(spec(Map.of(), Optional.empty(), Optional.empty())).get("config");
    assertThat(c.get("Entrypoint")).extracting(JsonNode::asText).containsExactly("/init");
    assertThat(c.get("Cmd")).extracting(JsonNode::asText).containsExactly("/bin/sh");
  }

  @Test
  void aNewEntrypointClearsTheInheritedCmdAsDockerDoes() throws Exception {
    JsonNode c = compose(spec(Map.of(), Optional.of(List.of("node", "index.js")), Optional.empty())).get("config");
    assertThat(c.get("Entrypoint")).extracting(JsonNode::asText).containsExactly("node", "index.js");
    assertThat(c.has("Cmd")).isFalse();
  }

  @Test
  void aNewCmdKeepsTheBasesEntrypoint() throws Exception {
    JsonNode c = compose(spec(Map.of(), Optional.empty(), Optional.of(List.of("node", "index.js")))).get("config");
    assertThat(c.get("Entrypoint")).extracting(JsonNode::asText).containsExactly("/init");
    assertThat(c.get("Cmd")).extracting(JsonNode::asText).containsExactly("node", "index.js");
  }

  @Test
  void recordsWhatGraftAddedAndKeepsWhatItDoesNotKnow() throws Exception {
    JsonNode root = compose(spec(Map.of(), Optional.empty(), Optional.empty()));
    assertThat(root.get("created").asText()).isEqualTo("1970-01-01T00:00:01Z");
    assertThat(root.get("author").asText()).isEqualTo("base maker");
    assertThat(root.get("rootfs").get("diff_ids")).extracting(JsonNode::asText)
        .containsExactly("sha256:" + "a".repeat(64), "sha256:" + "b".repeat(64));
    assertThat(root.get("history")).hasSize(2);
    assertThat(root.get("history").get(1).get("created_by").asText()).isEqualTo("graft: layer app (/src/dist)");
    JsonNode c = root.get("config");
    assertThat(c.get("Labels").get("io.hass.type").asText()).isEqualTo("addon");
    assertThat(c.get("Labels").get("keep").asText()).isEqualTo("me");
    assertThat(c.get("ExposedPorts").fieldNames()).toIterable().containsExactly("80/tcp", "8099/tcp");
    assertThat(c.get("WorkingDir").asText()).isEqualTo("/app");
  }

  @Test
  void givesAnImageWithoutPathDockersDefault() throws Exception {
    String noPath = BASE.replace("\"PATH=/usr/bin:/bin\",", "");
    ImageConfig base = ImageConfig.parse(new Blob(MediaTypes.OCI_CONFIG, noPath.getBytes(StandardCharsets.UTF_8)));
    List<String> env = new ComposeConfig(base, spec(Map.of(), Optional.empty(), Optional.empty()), List.of(),
        Instant.ofEpochSecond(1), MediaTypes.OCI_CONFIG).env();
    assertThat(env).contains("PATH=" + ComposeConfig.DEFAULT_PATH);
  }

  @Test
  void writesTheSameBytesForTheSameInput() throws Exception {
    ImageConfig base = ImageConfig.parse(new Blob(MediaTypes.OCI_CONFIG, BASE.getBytes(StandardCharsets.UTF_8)));
    ImageConfigSpec s = spec(Map.of("A", "1"), Optional.empty(), Optional.empty());
    Blob a = new ComposeConfig(base, s, List.of(), Instant.ofEpochSecond(1), MediaTypes.OCI_CONFIG).run();
    Blob b = new ComposeConfig(base, s, List.of(), Instant.ofEpochSecond(1), MediaTypes.OCI_CONFIG).run();
    assertThat(a.digest()).isEqualTo(b.digest());
    assertThat(new String(a.bytes(), StandardCharsets.UTF_8)).doesNotContain("\n", ": ").startsWith("{\"architecture\"");
  }
}
