package dev.graft.registry;

import dev.graft.oci.Blob;
import dev.graft.oci.Descriptor;
import dev.graft.oci.DigestMismatchException;
import dev.graft.oci.ImageRef;
import dev.graft.oci.ImageSource;
import dev.graft.oci.MediaTypes;
import dev.graft.oci.VerifyingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Set;

/**
 * Reads an image from a registry over the distribution API. Every manifest is checked against
 * the digest it was asked for (or, by tag, the registry's Docker-Content-Digest), bounded in size
 * and refused when of an unknown media type; blobs stream through a VerifyingInputStream.
 */
public final class RegistrySource implements ImageSource {
  private final ImageRef.Registry ref;
  private final RegistryHttp http;

  public RegistrySource(ImageRef.Registry ref, RegistryOptions options) {
    this.ref = ref;
    this.http = new RegistryHttp(RegistryHost.of(ref, options), ref.repository(), options);
  }

  @Override
  public ImageRef.Registry ref() {
    return ref;
  }

  @Override
  public Blob root() throws IOException {
    String reference = ref.reference();
    return http.fetch(getManifest(reference), r -> ManifestResponse.read(r, ref.digest(), ref.toString()));
  }

  /** The manifest the reference names, or empty when the registry answers 404 (no such tag or digest). */
  public java.util.Optional<Blob> rootIfPresent() throws IOException {
    String reference = ref.reference();
    Call get = new Call("GET", "/v2/" + ref.repository() + "/manifests/" + reference,
        Map.of("Accept", MediaTypes.acceptHeader()), null, Set.of(200, 404), false, null,
        "manifest '" + reference + "'", true);
    return http.fetch(get, r -> {
      if (r.status() == 404) {
        r.discard();
        return java.util.Optional.empty();
      }
      return java.util.Optional.of(ManifestResponse.read(r, ref.digest(), ref.toString()));
    });
  }

  /**
   * The OCI 1.1 referrers of {@code subject} (an image index), or empty when the registry has no
   * referrers API (it answers 404, as CNCF Distribution 2.8 does): then the tag-schema fallback
   * ({@code sha256-<hex>}) is where referrers are listed.
   */
  public java.util.Optional<Blob> referrers(dev.graft.oci.Digest subject) throws IOException {
    String where = ref.registry() + "/" + ref.repository() + " referrers of " + subject;
    Call get = new Call("GET", "/v2/" + ref.repository() + "/referrers/" + subject,
        Map.of("Accept", MediaTypes.OCI_INDEX), null, Set.of(200, 404), false, null, "referrers of " + subject, true);
    return http.fetch(get, r -> {
      if (r.status() == 404) {
        r.discard();
        return java.util.Optional.empty();
      }
      byte[] bytes = RegistryHttp.readLimited(r.body(), dev.graft.oci.Json.MAX_DOCUMENT_BYTES);
      Blob index = new Blob(MediaTypes.OCI_INDEX, bytes);
      dev.graft.oci.Index.parse(index); // refuses what is not an index
      return java.util.Optional.of(index);
    });
  }

  @Override
  public Blob manifest(Descriptor descriptor) throws IOException {
    String where = ref.registry() + "/" + ref.repository() + "@" + descriptor.digest();
    Blob blob = http.fetch(getManifest(descriptor.digest().toString()),
        r -> ManifestResponse.read(r, descriptor.digest(), where));
    if (blob.size() != descriptor.size()) {
      throw new DigestMismatchException("manifest " + where + " has " + blob.size()
          + " bytes, its descriptor declares " + descriptor.size());
    }
    return blob;
  }

  @Override
  public InputStream openBlob(Descriptor descriptor) throws IOException {
    String where = "registry " + ref.registry() + " repo '" + ref.repository() + "'";
    Response first = http.send(blobGet(descriptor, 0));
    long declared = first.headerAsLong("Content-Length").orElse(-1);
    if (declared >= 0 && declared != descriptor.size()) {
      first.discard();
      throw new DigestMismatchException(where + ": blob " + descriptor.digest() + " has " + declared
          + " bytes, its descriptor declares " + descriptor.size());
    }
    InputStream resuming = new ResumingBlobStream(first, offset -> http.send(blobGet(descriptor, offset)),
        descriptor, http.retry(), e -> http.networkFailure(blobGet(descriptor, 0), e));
    return new VerifyingInputStream(resuming, descriptor, where);
  }

  /**
   * Whether the repository holds this blob at the descriptor's size (one HEAD; nothing is read).
   * A registry that answers without a length is taken at its word for the size; the content is
   * still checked against the digest by whoever reads or mounts it later.
   */
  public boolean hasBlob(Descriptor descriptor) throws IOException {
    Response r = http.send(new Call("HEAD", "/v2/" + ref.repository() + "/blobs/" + descriptor.digest(), Map.of(),
        null, Set.of(200, 404), false, null, "blob " + descriptor.digest(), true));
    r.discard();
    long declared = r.headerAsLong("Content-Length").orElse(-1);
    return r.status() == 200 && (declared < 0 || declared == descriptor.size());
  }

  /** GET of a blob, from {@code offset} on with a Range request when resuming. */
  private Call blobGet(Descriptor descriptor, long offset) {
    Map<String, String> headers = offset == 0 ? Map.of() : Map.of("Range", "bytes=" + offset + "-");
    return new Call("GET", "/v2/" + ref.repository() + "/blobs/" + descriptor.digest(), headers, null,
        offset == 0 ? Set.of(200) : Set.of(200, 206), false, null, "blob " + descriptor.digest(), true);
  }

  private Call getManifest(String reference) {
    return new Call("GET", "/v2/" + ref.repository() + "/manifests/" + reference,
        Map.of("Accept", MediaTypes.acceptHeader()), null, Set.of(200), false, null,
        "manifest '" + reference + "'", true);
  }

  @Override
  public void close() {
    // Connections belong to the JDK's keep-alive pool, shared by every source and sink.
  }
}
