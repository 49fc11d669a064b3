package dev.graft.fs;

/** Path resolution met more symlinks than the kernel would follow (a loop, in practice). */
public class SymlinkLoopException extends RuntimeException {
  public SymlinkLoopException(String message) {
    super(message);
  }
}
