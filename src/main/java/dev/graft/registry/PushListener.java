package dev.graft.registry;

import dev.graft.oci.Descriptor;

/** Told what each blob push took, so the CLI can report progress; the library prints nothing. */
@FunctionalInterface
public interface PushListener {
  PushListener NONE = (descriptor, outcome) -> {};

  /** Called once per blob, after it is confirmed present in the repository; may be called concurrently. */
  void blobPushed(Descriptor descriptor, BlobOutcome outcome);
}
