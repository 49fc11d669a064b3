package dev.graft.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.Set;

/**
 * The official CycloneDX 1.6 JSON schema (bom-1.6.schema.json with its spdx and jsf parts, as the
 * CycloneDX project publishes them; read from cyclonedx-core-java's jar) applied by networknt's
 * validator, a judge that shares no code with the writer.
 */
public final class CycloneDxSchema {
  private static JsonSchema schema;

  private CycloneDxSchema() {}

  public static synchronized Set<ValidationMessage> validate(JsonNode document) {
    if (schema == null) {
      JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7,
          b -> b.schemaMappers(m -> m.mapPrefix("http://cyclonedx.org/schema/", "classpath:")));
      schema = factory.getSchema(SchemaLocation.of("http://cyclonedx.org/schema/bom-1.6.schema.json"),
          SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
    }
    return schema.validate(document);
  }
}
