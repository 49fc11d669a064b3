package dev.graft.registry;

import dev.graft.oci.BulkReadInputStream;
import dev.graft.oci.Descriptor;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * A blob download that survives the connection breaking off: it asks again for the rest with a
 * Range request (or, when the registry ignores Range, downloads again and skips what it has),
 * within the retry policy. A download that makes no progress for the request timeout (the
 * transport's read timeout) is broken off and resumed the same way. The caller verifies digest
 * and size of everything read, so a registry serving other bytes on the second try is still caught.
 */
final class ResumingBlobStream extends BulkReadInputStream {
  /** Opens the blob from {@code offset} (0 = the whole blob). */
  @FunctionalInterface
  interface Opener {
    Response open(long offset) throws IOException;
  }

  private final Opener opener;
  private final java.util.function.Function<IOException, IOException> giveUp;
  private final Descriptor descriptor;
  private final RetryPolicy.Attempts attempts;
  private final long stallMillis;
  private InputStream in;
  private long position;
  private boolean closed;

  /** {@code giveUp} turns the last failure into the error reported once the tries are used up. */
  ResumingBlobStream(Response first, Opener opener, Descriptor descriptor, RetryPolicy policy,
      java.util.function.Function<IOException, IOException> giveUp) {
    this.opener = opener;
    this.giveUp = giveUp;
    this.descriptor = descriptor;
    this.attempts = policy.start();
    this.in = first.body();
    this.stallMillis = policy.requestTimeout().toMillis();
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("stream closed");
    }
    if (len == 0) {
      return 0;
    }
    while (true) {
      IOException failure;
      try {
        int n = in.read(b, off, len);
        if (n > 0) {
          position += n;
          return n;
        }
        if (n < 0 && (position >= descriptor.size())) {
          return -1; // complete, or too long: the caller's verification says which
        }
        failure = new java.io.EOFException("download broke off after " + position + " of " + descriptor.size()
            + " bytes");
      } catch (java.net.SocketTimeoutException e) {
        failure = new IOException("download broke off after " + position + " of " + descriptor.size()
            + " bytes (no data for " + stallMillis + " ms)", e);
      } catch (IOException e) {
        if (!RegistryHttp.isTransient(e)) {
          throw e;
        }
        Throwable root = e;
        while (root.getCause() != null) {
          root = root.getCause();
        }
        failure = new IOException("download broke off after " + position + " of " + descriptor.size() + " bytes ("
            + root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage()) + ")", e);
      }
      resume(failure);
    }
  }

  private void resume(IOException failure) throws IOException {
    closeQuietly(in);
    if (!attempts.retry(Optional.empty(), "download of blob " + descriptor.digest().shortForm(), failure.getMessage())) {
      throw giveUp.apply(new IOException(failure.getMessage() + " after " + attempts.made() + " tries",
          failure.getCause() == null ? failure : failure.getCause()));
    }
    Response r = opener.open(position);
    InputStream body = r.body();
    if (r.status() == 200 && position > 0) {
      // The registry (or the storage it redirected to) ignored Range: skip what was read already.
      body.skipNBytes(position);
    } else if (r.status() == 206) {
      String range = r.header("Content-Range").orElse("");
      if (!range.startsWith("bytes " + position + "-")) {
        closeQuietly(body);
        throw new IOException("registry answered a request for blob " + descriptor.digest() + " from byte "
            + position + " with the range '" + range + "'");
      }
    }
    in = body;
  }

  private static void closeQuietly(InputStream s) {
    try {
      s.close();
    } catch (IOException e) {
      // already broken
    }
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      in.close();
    }
  }
}
