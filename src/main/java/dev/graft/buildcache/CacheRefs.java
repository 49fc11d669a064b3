package dev.graft.buildcache;

import dev.graft.oci.ImageRef;

/** The references a build cache is read from and written to: registry repositories with a tag. */
public final class CacheRefs {
  private CacheRefs() {}

  /** The cache of a registry target when none is named: its repository, tag {@value CacheArtifact#DEFAULT_TAG}. */
  public static ImageRef.Registry defaultFor(ImageRef.Registry target) {
    return target.withTag(CacheArtifact.DEFAULT_TAG);
  }

  /**
   * A {@code --cache-to}/{@code --cache-from} value: a registry reference; without a tag it gets
   * {@value CacheArtifact#DEFAULT_TAG} (not {@code latest}, which names the app's image). A
   * cache to write must be named by tag, a cache to read may be pinned by digest.
   */
  public static ImageRef.Registry parse(String text, boolean forWriting, String option) {
    ImageRef ref;
    try {
      ref = ImageRef.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + ": " + e.getMessage());
    }
    if (!(ref instanceof ImageRef.Registry r)) {
      throw new IllegalArgumentException(option + " " + text + ": a build cache lives in a registry repository"
          + " (e.g. ghcr.io/acme/app:" + CacheArtifact.DEFAULT_TAG + ")");
    }
    if (r.digest() != null) {
      if (forWriting) {
        throw new IllegalArgumentException(option + " " + text + ": a cache is written under a tag, not a digest"
            + " (e.g. " + r.registry() + "/" + r.repository() + ":" + CacheArtifact.DEFAULT_TAG + ")");
      }
      return r;
    }
    String name = text.startsWith("docker://") ? text.substring("docker://".length()) : text;
    boolean tagged = name.lastIndexOf(':') > name.lastIndexOf('/');
    return tagged ? r : r.withTag(CacheArtifact.DEFAULT_TAG);
  }
}
