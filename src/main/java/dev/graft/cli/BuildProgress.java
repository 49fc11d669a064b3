package dev.graft.cli;

import dev.graft.assemble.AddedLayer;
import dev.graft.assemble.BuildListener;
import dev.graft.oci.Descriptor;
import dev.graft.oci.Digest;
import dev.graft.oci.Platform;
import dev.graft.verify.Report;
import dev.graft.verify.Severity;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders build events on stderr. Plain (CI, no terminal): one line per step, layer and blob.
 * Live (a terminal): the same lines, plus one status line rewritten in place with each moving
 * blob's bytes and rate, so a large push shows it is alive.
 */
final class BuildProgress implements BuildListener {
  private final PrintWriter err;
  private final boolean live;
  private final Map<Digest, long[]> moving = new LinkedHashMap<>(); // digest → {bytes, size, startNanos}
  private boolean statusShown;

  BuildProgress(PrintWriter err, boolean live) {
    this.err = err;
    this.live = live;
  }

  @Override
  public void stepStarted(Platform platform, String step, String detail) {
    line(platform + ": " + step + (detail.isEmpty() ? "" : " " + detail));
  }

  @Override
  public void layerWritten(Platform platform, AddedLayer layer) {
    line(platform + ": layer " + layer.name() + " " + layer.layer().digest().shortForm() + " "
        + Args.size(layer.layer().compressedSize()) + (layer.cached() ? " (cached)" : ""));
  }

  @Override
  public void verified(Platform platform, Report report) {
    long errors = report.withSeverity(Severity.ERROR).size();
    long warnings = report.withSeverity(Severity.WARNING).size();
    line(platform + ": verified: " + errors + " errors, " + warnings + " warnings");
    if (errors + warnings > 0) {
      for (String l : report.render().split("\n")) {
        line("  " + l);
      }
    }
  }

  @Override
  public synchronized void blobStarted(String target, Descriptor blob) {
    moving.put(blob.digest(), new long[] {0, blob.size(), System.nanoTime()});
    status();
  }

  @Override
  public synchronized void blobProgress(String target, Descriptor blob, long bytes) {
    long[] m = moving.get(blob.digest());
    if (m != null) {
      m[0] = bytes;
      status();
    }
  }

  @Override
  public synchronized void blobDone(String target, Descriptor blob, String outcome) {
    moving.remove(blob.digest());
    line(String.format("%-8s %s %s", outcome, blob.digest().shortForm(), Args.size(blob.size())));
  }

  @Override
  public void targetWritten(String target, Digest digest) {
    line("wrote " + target + " " + digest);
  }

  private synchronized void line(String s) {
    clearStatus();
    err.println(s);
    status();
    err.flush();
  }

  /** The in-place status line (terminal only): each moving blob with its bytes and rate. */
  private void status() {
    if (!live || moving.isEmpty()) {
      return;
    }
    StringBuilder sb = new StringBuilder("\r");
    long now = System.nanoTime();
    moving.forEach((d, m) -> {
      double secs = Math.max(1e-3, (now - m[2]) / 1e9);
      sb.append(d.shortForm()).append(' ').append(Args.size(m[0])).append('/').append(Args.size(m[1]))
          .append(" (").append(Args.size((long) (m[0] / secs))).append("/s)  ");
    });
    sb.append("\033[K");
    err.print(sb);
    err.flush();
    statusShown = true;
  }

  private void clearStatus() {
    if (statusShown) {
      err.print("\r\033[K");
      statusShown = false;
    }
  }
}
