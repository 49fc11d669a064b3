package dev.graft.registry;

import dev.graft.oci.Blob;
import dev.graft.oci.Digest;
import dev.graft.oci.DigestMismatchException;
import dev.graft.oci.Json;
import dev.graft.oci.MediaTypes;
import dev.graft.oci.OciFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.Locale;

/** Turns a manifest response into a verified Blob: bounded size, known media type, matching digest. */
final class ManifestResponse {
  private ManifestResponse() {}

  /**
   * @param expected the digest the manifest was asked for, or null when asked by tag (then the
   *     registry's Docker-Content-Digest header, when sent, is checked instead)
   * @param where names the manifest in messages, e.g. "127.0.0.1:5000/acme/app:1.0"
   */
  static Blob read(Response r, Digest expected, String where) throws IOException {
    long declared = r.headerAsLong("Content-Length").orElse(-1);
    if (declared > Json.MAX_DOCUMENT_BYTES) {
      r.discard();
      throw new OciFormatException("manifest " + where + " is " + declared + " bytes, over the "
          + Json.MAX_DOCUMENT_BYTES + "-byte limit for image metadata");
    }
    byte[] bytes;
    try {
      bytes = RegistryHttp.readLimited(r.body(), Json.MAX_DOCUMENT_BYTES);
    } catch (OciFormatException e) {
      // (a connection that breaks off is not this: it propagates, and the fetch is retried)
      throw new OciFormatException("manifest " + where + " is over the " + Json.MAX_DOCUMENT_BYTES
          + "-byte limit for image metadata");
    }
    Digest check = expected;
    if (check == null) {
      String header = r.header("Docker-Content-Digest").orElse(null);
      try {
        check = header == null ? null : Digest.parse(header.trim());
      } catch (IllegalArgumentException e) {
        check = null; // a digest we cannot compute (unknown algorithm) is no evidence either way
      }
    }
    if (check != null) {
      String actual = HexFormat.of().formatHex(check.newHasher().digest(bytes));
      if (!actual.equals(check.hex())) {
        throw new DigestMismatchException("manifest " + where + " does not match its digest: expected " + check
            + ", got " + check.algorithm() + ":" + actual);
      }
    }
    return new Blob(mediaType(r, bytes, where), bytes);
  }

  /** The Content-Type, or the document's own mediaType field when the header is generic. */
  private static String mediaType(Response r, byte[] bytes, String where) {
    String header = r.header("Content-Type").map(ManifestResponse::bare).orElse("");
    if (known(header)) {
      return header;
    }
    String inDocument = null;
    if (header.isEmpty() || header.equals("application/json") || header.equals("application/octet-stream")) {
      var field = Json.parse(bytes, "manifest " + where).get("mediaType");
      inDocument = field != null && field.isTextual() ? field.asText() : null;
      if (inDocument != null && known(inDocument)) {
        return inDocument;
      }
    }
    String shown = inDocument != null ? inDocument : header.isEmpty() ? "(none)" : header;
    throw new OciFormatException("manifest " + where + " has unknown media type '" + shown
        + "' (graft reads OCI and Docker v2 image manifests and indexes, not Docker schema 1 or artifacts)");
  }

  static boolean known(String mediaType) {
    return MediaTypes.isManifest(mediaType) || MediaTypes.isIndex(mediaType);
  }

  private static String bare(String contentType) {
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }
}
