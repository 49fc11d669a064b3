package dev.graft.attach;

import dev.graft.oci.Blob;
import dev.graft.oci.BlobContent;
import dev.graft.oci.Descriptor;
import dev.graft.oci.Digest;
import dev.graft.oci.ImageRef;
import dev.graft.registry.RegistryOptions;
import dev.graft.registry.RegistrySink;
import dev.graft.registry.RegistrySource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Optional;

/** Attached artifacts in a registry repository, over the distribution API (graft's own client). */
public final class RegistryArtifactStore implements ArtifactStore {
  private final ImageRef.Registry repository;
  private final RegistryOptions options;
  private final RegistrySource source;
  private final RegistrySink sink;

  public RegistryArtifactStore(ImageRef.Registry ref, RegistryOptions options) {
    this.repository = ref.withTag("latest");
    this.options = options;
    this.source = new RegistrySource(repository, options);
    this.sink = new RegistrySink(repository, options);
  }

  @Override
  public String repositoryName() {
    // cosign (go-containerregistry) names Docker Hub "index.docker.io"
    String registry = repository.registry().equals(ImageRef.Registry.DOCKER_HUB) ? "index.docker.io" : repository.registry();
    return registry + "/" + repository.repository();
  }

  @Override
  public Optional<Blob> manifestByTag(String tag) throws IOException {
    try (RegistrySource tagged = new RegistrySource(repository.withTag(tag), options)) {
      return tagged.rootIfPresent();
    }
  }

  @Override
  public Optional<Blob> manifest(Digest digest) throws IOException {
    try (RegistrySource pinned = new RegistrySource(repository.withDigest(digest), options)) {
      return pinned.rootIfPresent();
    }
  }

  @Override
  public Blob manifest(Descriptor descriptor) throws IOException {
    return source.manifest(descriptor);
  }

  @Override
  public byte[] blob(Descriptor descriptor) throws IOException {
    return source.readBlob(descriptor).bytes();
  }

  @Override
  public void putBlob(Descriptor descriptor, byte[] content) throws IOException {
    sink.putBlob(descriptor, new BlobContent(() -> new ByteArrayInputStream(content), null));
  }

  @Override
  public boolean putManifest(Blob manifest, Optional<Digest> subject) throws IOException {
    if (subject.isPresent()) {
      return sink.putReferrer(manifest, subject.get());
    }
    sink.putManifest(manifest);
    return false;
  }

  @Override
  public void tag(String tag, Blob manifest) throws IOException {
    try (RegistrySink tagged = new RegistrySink(repository.withTag(tag), options)) {
      tagged.commit(manifest);
    }
  }

  @Override
  public Optional<Blob> referrersApi(Digest subject) throws IOException {
    return source.referrers(subject);
  }

  @Override
  public String toString() {
    return repository.registry() + "/" + repository.repository();
  }

  @Override
  public void close() throws IOException {
    source.close();
    sink.close();
  }
}
