package dev.graft.cli;

import dev.graft.oci.BlobOutcome;
import dev.graft.oci.Descriptor;
import dev.graft.transfer.CopyListener;
import java.io.PrintWriter;

/** Plain progress, one line per blob on stderr: readable in CI logs, no terminal tricks. */
final class StderrProgress implements CopyListener {
  private final PrintWriter err;

  StderrProgress(PrintWriter err) {
    this.err = err;
  }

  @Override
  public void blobDone(Descriptor blob, BlobOutcome outcome) {
    line((outcome == BlobOutcome.PRESENT ? "exists  " : "copied  ") + blob.digest().shortForm() + "  "
        + Args.size(blob.size()));
  }

  @Override
  public void retrying(String what, String why, java.time.Duration wait, int attempt, int maxAttempts) {
    line(dev.graft.registry.RetryListener.describe(what, why, wait, attempt, maxAttempts));
  }

  private synchronized void line(String s) {
    err.println(s);
    err.flush();
  }
}
