package dev.graft.assemble;

/**
 * {@code closure: auto} would replace a library of the base that the base's own files need more
 * of; the message names the library, what it lacks, who needs it, and the choices.
 */
public final class ClosureConflictException extends IllegalStateException {
  public ClosureConflictException(String message) {
    super(message);
  }
}
