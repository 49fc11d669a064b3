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
import java.net.http.HttpResponse;
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
    HttpResponse<InputStream> r = http.send(getManifest(reference));
    return ManifestResponse.read(r, ref.digest(), ref.toString());
  }

  @Override
  public Blob manifest(Descriptor descriptor) throws IOException {
    HttpResponse<InputStream> r = http.send(getManifest(descriptor.digest().toString()));
    String where = ref.registry() + "/" + ref.repository() + "@" + descriptor.digest();
    Blob blob = ManifestResponse.read(r, descriptor.digest(), where);
    if (blob.size() != descriptor.size()) {
      throw new DigestMismatchException("manifest " + where + " has " + blob.size()
          + " bytes, its descriptor declares " + descriptor.size());
    }
    return blob;
  }

  @Override
  public InputStream openBlob(Descriptor descriptor) throws IOException {
    String what = "blob " + descriptor.digest();
    Call call = new Call("GET", "/v2/" + ref.repository() + "/blobs/" + descriptor.digest(), Map.of(), null,
        Set.of(200), false, null, what, true);
    HttpResponse<InputStream> r = http.send(call);
    long declared = r.headers().firstValueAsLong("Content-Length").orElse(-1);
    String where = "registry " + ref.registry() + " repo '" + ref.repository() + "'";
    if (declared >= 0 && declared != descriptor.size()) {
      RegistryHttp.discard(r);
      throw new DigestMismatchException(where + ": blob " + descriptor.digest() + " has " + declared
          + " bytes, its descriptor declares " + descriptor.size());
    }
    return new VerifyingInputStream(r.body(), descriptor, where);
  }

  private Call getManifest(String reference) {
    return new Call("GET", "/v2/" + ref.repository() + "/manifests/" + reference,
        Map.of("Accept", MediaTypes.acceptHeader()), null, Set.of(200), false, null,
        "manifest '" + reference + "'", true);
  }

  @Override
  public void close() {
    // HttpClient (Java 17) has no close; its connections are released when it is collected.
  }
}
