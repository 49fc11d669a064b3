package dev.graft.transfer;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * The JDK's file errors name only a path ("/x/.y.graft-123"); this adds which image was being
 * read or written and what went wrong in words, so the CLI's one-line error is useful.
 */
final class FileErrors {
  private FileErrors() {}

  static IOException withContext(String what, FileSystemException e) {
    String problem;
    if (e instanceof AccessDeniedException) {
      problem = "permission denied";
    } else if (e instanceof NoSuchFileException) {
      problem = "no such file or directory";
    } else if (e instanceof FileAlreadyExistsException) {
      problem = "already exists";
    } else if (e instanceof NotDirectoryException) {
      problem = "not a directory";
    } else {
      problem = e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
    }
    return new IOException(what + ": " + e.getFile() + ": " + problem, e);
  }
}
