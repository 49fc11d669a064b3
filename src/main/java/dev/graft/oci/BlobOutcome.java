package dev.graft.oci;

/** What putting one blob into an {@link ImageSink} took. */
public enum BlobOutcome {
  /** The destination already had it: nothing was sent or written. */
  PRESENT,
  /** A registry mounted it from another repository of the same registry: no bytes were sent. */
  MOUNTED,
  /** Its bytes were uploaded to a registry. */
  UPLOADED,
  /** Its bytes were written into a local layout or archive. */
  WRITTEN
}
