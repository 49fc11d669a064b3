package dev.graft.registry;

import dev.graft.oci.Blob;
import dev.graft.oci.BlobContent;
import dev.graft.oci.BlobOutcome;
import dev.graft.oci.Descriptor;
import dev.graft.oci.Digest;
import dev.graft.oci.DigestMismatchException;
import dev.graft.oci.Futures;
import dev.graft.oci.ImageRef;
import dev.graft.oci.ImageSink;
import dev.graft.oci.OciFormatException;
import dev.graft.oci.VerifyingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pushes an image to a registry. Per blob: HEAD (present? done) → cross-repo mount when the
 * content came from another repository of the same registry (201 = mounted; 202 = the registry
 * declined and opened an upload, so upload anyway) → upload (POST, then one streamed PUT with the
 * digest). Manifests go by digest; the tag is PUT only in {@link #commit}, so a failed push never
 * moves it. Thread-safe: blobs may be pushed concurrently, and a blob asked for twice is pushed once
 * (the second call waits for the first and says {@link BlobOutcome#PRESENT}).
 */
public final class RegistrySink implements ImageSink {
  private final ImageRef.Registry ref;
  private final RegistryHttp http;
  private final Map<Digest, CompletableFuture<BlobOutcome>> blobs = new ConcurrentHashMap<>();
  private final Set<Digest> manifestsPut = ConcurrentHashMap.newKeySet();

  public RegistrySink(ImageRef.Registry ref, RegistryOptions options) {
    this.ref = ref;
    this.http = new RegistryHttp(RegistryHost.of(ref, options), ref.repository(), options);
  }

  @Override
  public ImageRef.Registry ref() {
    return ref;
  }

  /**
   * Checks before any heavy work that the registry answers and accepts this run's credentials for a
   * push to the repository: opens a blob upload (what every push does first; a registry that
   * grants pull only refuses it) and cancels it at once. A refusal names the registry, repository,
   * where the credentials came from and how to log in; an unreachable registry fails after the
   * retries the listener was told of. {@code target} (the reference about to be pushed, with its
   * tag) is named in the error.
   */
  public void checkPush(String target) throws IOException {
    Response r = http.send(new Call("POST", "/v2/" + ref.repository() + "/blobs/uploads/", Map.of(), null,
        Set.of(202), true, null, "a test upload before pushing " + target
            + " (graft checks push access before it builds)", true));
    r.discard();
    String location = r.header("Location").orElse(null);
    if (location != null) {
      try {
        http.send(new Call("DELETE", location, Map.of(), null, Set.of(200, 202, 204, 404, 405), true, null,
            "the cancelled test upload", true)).discard();
      } catch (IOException e) {
        // an upload left open expires on the registry's side; the push access is what was asked
      }
    }
  }

  /** Whether the repository has this blob (a HEAD request); {@link #putBlob} asks itself. */
  public boolean hasBlob(Descriptor descriptor) throws IOException {
    Call head = new Call("HEAD", "/v2/" + ref.repository() + "/blobs/" + descriptor.digest(), Map.of(), null,
        Set.of(200, 404), true, null, "blob " + descriptor.digest(), true);
    Response r = http.send(head);
    r.discard();
    return r.status() == 200;
  }

  @Override
  public BlobOutcome putBlob(Descriptor descriptor, BlobContent content) throws IOException {
    CompletableFuture<BlobOutcome> mine = new CompletableFuture<>();
    CompletableFuture<BlobOutcome> existing = blobs.putIfAbsent(descriptor.digest(), mine);
    if (existing != null) {
      Futures.await(existing, "waiting for a concurrent push of blob " + descriptor.digest().shortForm());
      return BlobOutcome.PRESENT;
    }
    try {
      BlobOutcome outcome = push(descriptor, content);
      mine.complete(outcome);
      return outcome;
    } catch (IOException | RuntimeException e) {
      blobs.remove(descriptor.digest(), mine); // a later call may try again
      mine.completeExceptionally(e);
      throw e;
    }
  }

  private BlobOutcome push(Descriptor descriptor, BlobContent content) throws IOException {
    if (hasBlob(descriptor)) {
      return BlobOutcome.PRESENT;
    }
    // An upload that fails is started over (new POST, whole content again: BlobContent reopens),
    // which every registry supports, unlike resuming a chunked upload.
    RetryPolicy.Attempts attempts = http.retry().start();
    while (true) {
      try {
        String location;
        ImageRef.Registry origin = content.origin();
        if (origin != null && origin.registry().equals(ref.registry())
            && !origin.repository().equals(ref.repository())) {
          Response r = http.send(new Call("POST", "/v2/" + ref.repository()
              + "/blobs/uploads/?mount=" + enc(descriptor.digest().toString()) + "&from=" + enc(origin.repository()),
              Map.of(), null, Set.of(201, 202), true, origin.repository(), "blob " + descriptor.digest(), true));
          r.discard();
          if (r.status() == 201) {
            return BlobOutcome.MOUNTED;
          }
          location = location(r, descriptor);
        } else {
          Response r = http.send(new Call("POST", "/v2/" + ref.repository() + "/blobs/uploads/",
              Map.of(), null, Set.of(202), true, null, "blob " + descriptor.digest(), true));
          r.discard();
          location = location(r, descriptor);
        }
        upload(location, descriptor, content);
        return BlobOutcome.UPLOADED;
      } catch (RegistryException e) {
        if (!e.retryable() || !attempts.retry(e.retryAfter(), "upload of blob " + descriptor.digest().shortForm()
            + " to " + ref.registry() + "/" + ref.repository(), RegistryHttp.reason(e))) {
          throw e;
        }
      }
    }
  }

  private String location(Response r, Descriptor descriptor) throws RegistryException {
    return r.header("Location").orElseThrow(() -> new RegistryException("registry " + ref.registry()
        + " opened an upload for blob " + descriptor.digest() + " without a Location header", ref.registry(),
        ref.repository(), "push of blob " + descriptor.digest(), r.status(), java.util.List.of(), false, null));
  }

  /** One PUT with the whole blob streamed (never held in memory) and checked against its digest on the way. */
  private void upload(String location, Descriptor descriptor, BlobContent content) throws IOException {
    String target = location + (location.contains("?") ? "&" : "?") + "digest=" + enc(descriptor.digest().toString());
    String where = "content for " + ref;
    Call put = new Call("PUT", target, Map.of("Content-Type", "application/octet-stream"),
        new Request.Body() {
          @Override
          public long length() {
            return descriptor.size();
          }

          @Override
          public InputStream open() throws IOException {
            return new VerifyingInputStream(content.open(), descriptor, where);
          }
        },
        Set.of(201, 204), true, null, "blob " + descriptor.digest(), false);
    try {
      Response r = http.send(put);
      r.discard();
      String echoed = r.header("Docker-Content-Digest").orElse(null);
      if (echoed != null && !echoed.trim().equals(descriptor.digest().toString())) {
        throw new DigestMismatchException("registry " + ref.registry() + " stored blob " + descriptor.digest()
            + " as " + echoed.trim());
      }
    } catch (RegistryException e) {
      // Content that fails its digest, or whose reading was stopped (the write it belongs to
      // failed elsewhere, or the user interrupted), aborts the request body: say that, not
      // "cannot reach registry", and never upload it again.
      for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
        if (t instanceof DigestMismatchException d) {
          throw d;
        }
        if (t instanceof java.io.InterruptedIOException stopped && !(t instanceof java.net.SocketTimeoutException)) {
          throw stopped;
        }
      }
      throw e;
    }
  }

  @Override
  public void putManifest(Blob manifest) throws IOException {
    if (!ManifestResponse.known(manifest.mediaType())) {
      throw new OciFormatException("refusing to push manifest " + manifest.digest() + " of unknown media type '"
          + manifest.mediaType() + "' to " + ref);
    }
    putManifestAs(manifest, manifest.digest().toString());
    manifestsPut.add(manifest.digest());
  }

  /**
   * Pushes a manifest that names a {@code subject} (an OCI 1.1 referrer) by digest and says whether
   * the registry indexed it as a referrer: a registry with the referrers API answers with an
   * {@code OCI-Subject} header; without it the caller updates the tag-schema fallback index.
   */
  public boolean putReferrer(Blob manifest, Digest subject) throws IOException {
    if (!ManifestResponse.known(manifest.mediaType())) {
      throw new OciFormatException("refusing to push manifest " + manifest.digest() + " of unknown media type '"
          + manifest.mediaType() + "' to " + ref);
    }
    Response r = putManifestAs(manifest, manifest.digest().toString());
    manifestsPut.add(manifest.digest());
    return r.header("OCI-Subject").map(String::trim).filter(subject.toString()::equals).isPresent();
  }

  @Override
  public void commit(Blob root) throws IOException {
    if (ref.digest() != null && !ref.digest().equals(root.digest())) {
      throw new IllegalArgumentException("cannot push manifest " + root.digest() + " to " + ref
          + ": the reference pins a different digest");
    }
    if (!manifestsPut.contains(root.digest()) && !hasManifest(root.digest())) {
      throw new IllegalStateException("commit of " + ref + " before its manifest " + root.digest() + " was pushed");
    }
    if (ref.tag() != null) {
      putManifestAs(root, ref.tag());
    }
  }

  private boolean hasManifest(Digest digest) throws IOException {
    Response r = http.send(new Call("HEAD", "/v2/" + ref.repository() + "/manifests/" + digest,
        Map.of("Accept", dev.graft.oci.MediaTypes.acceptHeader()), null, Set.of(200, 404), true, null,
        "manifest " + digest, true));
    r.discard();
    return r.status() == 200;
  }

  private Response putManifestAs(Blob manifest, String reference) throws IOException {
    byte[] bytes = manifest.bytes();
    Response r = http.send(new Call("PUT", "/v2/" + ref.repository() + "/manifests/" + reference,
        Map.of("Content-Type", manifest.mediaType()), Request.Body.of(bytes),
        Set.of(200, 201), true, null, "manifest '" + reference + "'", true));
    r.discard();
    String echoed = r.header("Docker-Content-Digest").orElse(null);
    if (echoed != null && !echoed.trim().equals(manifest.digest().toString())) {
      throw new DigestMismatchException("registry " + ref.registry() + " stored manifest '" + reference + "' as "
          + echoed.trim() + ", not as the pushed " + manifest.digest() + " (it rewrote the bytes)");
    }
    return r;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    // Nothing is held open between calls.
  }
}
