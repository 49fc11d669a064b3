package dev.graft.registry;

/** What pushing one blob took. */
public enum BlobOutcome {
  /** The repository already had it (HEAD answered 200): nothing was sent. */
  ALREADY_PRESENT,
  /** Mounted from another repository of the same registry: no bytes were sent. */
  MOUNTED,
  /** Its bytes were uploaded. */
  UPLOADED
}
