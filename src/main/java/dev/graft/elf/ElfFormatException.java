package dev.graft.elf;

/** A file that is not ELF, or whose ELF structures are truncated, inconsistent or hostile. */
public class ElfFormatException extends RuntimeException {
  public ElfFormatException(String message) {
    super(message);
  }

  public ElfFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
