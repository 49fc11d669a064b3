package dev.graft.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.oci.MediaTypes.Compression;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

/** graft.schema.json (for editors) accepts exactly the keys the loader accepts. */
class SchemaSyncTest {
  static JsonNode schema;

  @BeforeAll
  static void load() throws Exception {
    try (InputStream in = SchemaSyncTest.class.getClassLoader().getResourceAsStream("graft/graft.schema.json")) {
      assertThat(in).as("schema shipped as a resource").isNotNull();
      schema = new ObjectMapper().readTree(in);
    }
  }

  static List<String> keys(JsonNode objectSchema) {
    List<String> out = new ArrayList<>();
    objectSchema.get("properties").fieldNames().forEachRemaining(out::add);
    assertThat(objectSchema.get("additionalProperties").asBoolean(true))
        .as("unknown keys are refused by the schema too").isFalse();
    return out;
  }

  @Test
  void isDraft2020() {
    assertThat(schema.get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
  }

  @Test
  void topLevelKeysMatch() {
    assertThat(keys(schema)).containsExactlyInAnyOrderElementsOf(Keys.TOP);
  }

  @Test
  void dockerfileKeysMatch() {
    assertThat(keys(schema.at("/properties/dockerfile"))).containsExactlyInAnyOrderElementsOf(Keys.DOCKERFILE);
  }

  @Test
  void configKeysMatch() {
    assertThat(keys(schema.at("/$defs/config"))).containsExactlyInAnyOrderElementsOf(Keys.CONFIG);
    assertThat(keys(schema.at("/$defs/healthcheck"))).containsExactlyInAnyOrderElementsOf(Keys.HEALTHCHECK);
  }

  @Test
  void layerKeysMatch() {
    assertThat(keys(schema.at("/$defs/layer"))).containsExactlyInAnyOrderElementsOf(Keys.LAYER);
    assertThat(keys(schema.at("/$defs/pathItem/oneOf/1"))).containsExactlyInAnyOrderElementsOf(Keys.PATH_ITEM);
  }

  @Test
  void recipeUseKeysAreTheOnesTheSchemaAllowsBesideRecipe() {
    List<String> forbiddenWithRecipe = new ArrayList<>();
    schema.at("/$defs/layer/oneOf/0/not/anyOf").forEach(n -> forbiddenWithRecipe.add(n.get("required").get(0).asText()));
    List<String> allowed = new ArrayList<>(Keys.LAYER);
    allowed.removeAll(forbiddenWithRecipe);
    assertThat(allowed).containsExactlyInAnyOrderElementsOf(Keys.RECIPE_USE);
  }

  @Test
  void enumsMatchTheLoader() {
    List<String> compressions = new ArrayList<>();
    schema.at("/$defs/compression/enum").forEach(n -> compressions.add(n.asText()));
    assertThat(compressions).containsExactly("gzip", "zstd", "none");
    for (Compression c : Compression.values()) {
      assertThat(compressions).contains(c.name().toLowerCase(java.util.Locale.ROOT));
    }
    List<String> formats = new ArrayList<>();
    schema.at("/properties/format/enum").forEach(n -> formats.add(n.asText()));
    for (ManifestFormat f : ManifestFormat.values()) {
      assertThat(formats).contains(f.yamlName());
    }
  }
}
