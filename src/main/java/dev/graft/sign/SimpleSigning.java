package dev.graft.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.oci.Digest;
import dev.graft.oci.Json;
import dev.graft.oci.OciFormatException;
import java.util.Objects;

/**
 * The payload cosign signs for an image: the "simple signing" document (from containers/image)
 * naming the repository and the manifest digest. Written field for field as cosign writes it
 * ({@code {"critical":{"identity":{"docker-reference":…},"image":{"docker-manifest-digest":…},
 * "type":"cosign container image signature"},"optional":null}}), so a payload graft signs reads
 * the same to cosign, and the same image gives the same bytes.
 */
public record SimpleSigning(String dockerReference, Digest manifestDigest) {
  public static final String MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
  public static final String TYPE = "cosign container image signature";

  public SimpleSigning {
    Objects.requireNonNull(dockerReference, "dockerReference");
    Objects.requireNonNull(manifestDigest, "manifestDigest");
  }

  public byte[] bytes() {
    ObjectNode root = Json.object();
    ObjectNode critical = root.putObject("critical");
    critical.putObject("identity").put("docker-reference", dockerReference);
    critical.putObject("image").put("docker-manifest-digest", manifestDigest.toString());
    critical.put("type", TYPE);
    root.putNull("optional");
    return Json.write(root);
  }

  /** Reads a payload; refuses one of another type or without a digest (what cosign's verifier refuses). */
  public static SimpleSigning parse(byte[] payload, String where) {
    JsonNode root = Json.parse(payload, "signature payload in " + where);
    JsonNode critical = root.path("critical");
    String type = critical.path("type").asText("");
    if (!TYPE.equals(type)) {
      throw new OciFormatException("signature payload in " + where + " has type '" + type + "', not '" + TYPE + "'");
    }
    String digest = critical.path("image").path("docker-manifest-digest").asText("");
    try {
      return new SimpleSigning(critical.path("identity").path("docker-reference").asText(""), Digest.parse(digest));
    } catch (IllegalArgumentException e) {
      throw new OciFormatException("signature payload in " + where + " names no valid manifest digest ('" + digest + "')");
    }
  }
}
