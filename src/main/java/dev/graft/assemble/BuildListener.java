package dev.graft.assemble;

import dev.graft.npm.Libc;
import dev.graft.npm.NpmInstall;
import dev.graft.oci.Descriptor;
import dev.graft.oci.Digest;
import dev.graft.oci.Platform;
import dev.graft.verify.Report;
import java.time.Duration;

/**
 * Hears what a build does, so a CLI can render progress; the library itself prints nothing.
 * Platforms build in parallel and blobs move in parallel: implementations must be thread-safe.
 */
public interface BuildListener {
  BuildListener NONE = new BuildListener() {};

  /** A named step starts, e.g. ("linux/amd64", "read builder", "oci:images/builder"). */
  default void stepStarted(Platform platform, String step, String detail) {}

  /**
   * A {@code from: npm} layer's packages were chosen and laid out for a platform: what was
   * installed (its {@code laidOut().packages()} are the SBOM's npm packages: path, name,
   * version, resolved, integrity, license), what was left out and why, the script verdicts.
   */
  default void npmInstalled(Platform platform, String layer, NpmInstall.Result result,
      Libc libc) {}

  /** A layer of graft's was written (or found in the cache). */
  default void layerWritten(Platform platform, AddedLayer layer) {}

  /**
   * A layer is being written: {@code bytes} of its files' content read so far, of {@code total}.
   * Not called for a layer taken from the cache.
   */
  default void layerProgress(Platform platform, String layer, long bytes, long total) {}

  /** The verdict on one platform's image, before anything is written. */
  default void verified(Platform platform, Report report) {}

  /**
   * A blob's bytes start to move to {@code target} (its content was opened). A blob the target
   * already has, or a registry mounts, never starts: it is only {@link #blobDone done}.
   */
  default void blobStarted(String target, Descriptor blob) {}

  /** More bytes of a blob moved (cumulative {@code bytes} of {@code blob.size()}). */
  default void blobProgress(String target, Descriptor blob, long bytes) {}

  /**
   * A blob is at the target: "uploaded" or "mounted" (a registry), "written" (a local layout or
   * archive) or "skipped" (already there).
   */
  default void blobDone(String target, Descriptor blob, String outcome) {}

  /** A target is checked before the build starts (registry: reachable, push allowed; local: writable). */
  default void targetChecking(String target) {}

  /**
   * A registry request or transfer failed and is tried again after {@code wait} (see
   * {@link dev.graft.registry.RetryListener}): shown as it happens, not after the retries run out.
   */
  default void retrying(String what, String why, Duration wait, int attempt, int maxAttempts) {}

  /** The target's reference now points at {@code digest}. */
  default void targetWritten(String target, Digest digest) {}
}
