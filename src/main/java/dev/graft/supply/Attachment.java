package dev.graft.supply;

import dev.graft.oci.Digest;
import java.util.Objects;

/**
 * One thing written beside an image: {@code kind} is "signature", "sbom" or "provenance";
 * {@code subject} the manifest or index it is about; {@code location} where it is (a tag, a
 * referrer manifest digest, or a file path); {@code added} false when it was already there.
 */
public record Attachment(String kind, Digest subject, String location, boolean added) {
  public Attachment {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(location, "location");
  }
}
