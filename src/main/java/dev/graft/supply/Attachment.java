package dev.graft.supply;

import dev.graft.oci.Digest;
import dev.graft.oci.Require;

/**
 * One thing written beside an image: {@code kind} is "signature", "sbom" or "provenance";
 * {@code subject} the manifest or index it is about; {@code location} where it is (a tag, a
 * referrer manifest digest, or a file path); {@code added} false when it was already there;
 * {@code signer} who signed, in words, for a signature (empty otherwise); {@code mediaType} the
 * document's media type for an SBOM (CycloneDX or SPDX; empty otherwise).
 */
public record Attachment(String kind, Digest subject, String location, boolean added, String signer,
    String mediaType) {
  public Attachment(String kind, Digest subject, String location, boolean added) {
    this(kind, subject, location, added, "", "");
  }

  public Attachment(String kind, Digest subject, String location, boolean added, String signer) {
    this(kind, subject, location, added, signer, "");
  }

  public Attachment {
    Require.nonNull("kind, subject, location, signer, mediaType", kind, subject, location, signer, mediaType);
  }
}
