package dev.graft.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An independent JSON Schema validator judges graft.schema.json: it accepts the files graft
 * accepts and refuses the mistakes graft refuses, so editors flag the same things.
 */
class SchemaValidationTest {
  static JsonSchema schema;
  static final YAMLMapper YAML = new YAMLMapper();

  @BeforeAll
  static void load() throws Exception {
    try (InputStream in = SchemaValidationTest.class.getClassLoader().getResourceAsStream("graft/graft.schema.json")) {
      schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
    }
  }

  static Set<ValidationMessage> validate(String yaml) throws Exception {
    JsonNode doc = YAML.readTree(yaml);
    return schema.validate(doc);
  }

  @Test
  void acceptsTheSketch() throws Exception {
    assertThat(validate(GraftConfigTest.SKETCH)).isEmpty();
  }

  @Test
  void acceptsTheAddonsGraftYaml() throws Exception {
    assertThat(validate(Files.readString(Path.of("src/test/resources/addons/hasync/graft.yaml")))).isEmpty();
  }

  @Test
  void acceptsEveryFormGraftAccepts() throws Exception {
    String yaml = """
        base:
          amd64: ghcr.io/home-assistant/amd64-base:3.15
          linux/arm64: ghcr.io/home-assistant/aarch64-base:3.15
        builder: node:18-alpine
        layers:
          - recipe: node-runtime
            name: node
            with: { npm: true }
            compression: zstd
          - name: deps
            from: builder
            closure: off
            paths:
              - /build/node_modules
              - first: [/a, /b]
              - { path: /c, optional: true }
            exclude: ["**/*.md"]
        config:
          env: { NODE_ENV: production, PORT: 8099 }
          user: 1000
          cmd: []
          ports: [8099, 53/udp]
          volumes: [/data]
          stopSignal: SIGINT
          healthcheck: { test: [CMD, node, h.js], interval: 1m30s, retries: 3 }
        to: ["ghcr.io/acme/{arch}-app", oci:out]
        index: ghcr.io/acme/app
        tags: [1.0, latest]
        format: oci
        compression: gzip
        """;
    assertThat(validate(yaml)).isEmpty();
    GraftConfig.parse("graft.yaml", yaml, Path.of("."), Overrides.NONE, java.util.Map.of());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "base: alpine\nconfig: { entrypiont: [node] }\n",
      "base: alpine\nplatforms: linux/amd64\n",
      "base: alpine\nconfig: { entrypoint: node index.js }\n",
      "base: alpine\nlayers: [{ recipe: node-runtime, from: builder }]\n",
      "base: alpine\nlayers: [{ name: x, from: builder, paths: [/x], closure: sometimes }]\n",
      "base: alpine\nlayers: [{ from: builder, paths: [/x] }]\n",
      "base: alpine\nlayers: [{ name: x, from: ./d, to: relative }]\n",
      "base: alpine\nformat: tar\n",
      "base: alpine\nconfig: { ports: [http] }\n",
      "base: alpine\nconfig: { healthcheck: { interval: 5s } }\n",
      "bsae: alpine\n",
      "base: alpine\nformat: docker\ncompression: zstd\n",
  })
  void refusesWhatGraftRefuses(String yaml) throws Exception {
    assertThat(validate(yaml)).as(yaml).isNotEmpty();
    assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class,
        () -> GraftConfig.parse("graft.yaml", yaml, Path.of("."), Overrides.NONE, java.util.Map.of())))
        .as("graft refuses it too: " + yaml).isNotNull();
  }
}
