package dev.graft.cli;

import dev.graft.assemble.AddedLayer;
import dev.graft.assemble.BuildListener;
import dev.graft.oci.Descriptor;
import dev.graft.oci.Digest;
import dev.graft.oci.Platform;
import dev.graft.verify.Report;
import dev.graft.verify.Severity;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Renders build events on stderr as lines: one per step, layer, verdict and blob.
 *
 * <p>{@link Mode#LIVE} (a terminal, not CI): below those lines, a block of the work in flight —
 * each platform's step, layers being written and blobs moving, with bytes, totals and rates —
 * redrawn in place five times a second. Redrawing needs three escape sequences every terminal of
 * the last forty years knows (carriage return, cursor up, erase to the end of the screen); JLine's
 * terminal was measured for this and not taken: building it took 1.2–1.8 s on a pseudo-terminal
 * that does not answer its capability queries (docs/progress.md).
 *
 * <p>{@link Mode#PLAIN} (CI, a pipe, a file): the lines only, and when nothing was printed for
 * ten seconds one line saying what is still in flight, so a log never looks stuck.
 */
final class BuildProgress implements BuildListener, AutoCloseable {
  enum Mode { PLAIN, LIVE }

  static final long HEARTBEAT_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final String UP = "\033[%dA";
  private static final String ERASE_DOWN = "\033[J";

  private final PrintWriter err;
  private final Mode mode;
  private final int width;
  private final WorkInFlight work = new WorkInFlight();
  private final ScheduledExecutorService ticker;
  private int drawn; // lines of the live block on the screen now
  private long lastOutput = System.nanoTime();

  BuildProgress(PrintWriter err, Mode mode, int width) {
    this.err = err;
    this.mode = mode;
    this.width = width;
    ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "graft-progress");
      t.setDaemon(true);
      return t;
    });
    ticker.scheduleAtFixedRate(this::tick, mode == Mode.LIVE ? 200 : 1000, mode == Mode.LIVE ? 200 : 1000,
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void stepStarted(Platform platform, String step, String detail) {
    work.step(platform, step + (detail.isEmpty() ? "" : " " + detail), System.nanoTime());
    if (mode == Mode.PLAIN) {
      line(platform + ": " + step + (detail.isEmpty() ? "" : " " + detail)); // live: shown in the block
    }
  }

  @Override
  public void layerProgress(Platform platform, String layer, long bytes, long total) {
    work.layer(platform, layer, bytes, total, System.nanoTime());
  }

  @Override
  public void layerWritten(Platform platform, AddedLayer layer) {
    work.layerDone(platform, layer.name());
    line(platform + ": layer " + layer.name() + " " + layer.layer().digest().shortForm() + " "
        + Args.size(layer.layer().compressedSize()) + (layer.cached() ? " (cached)" : ""));
  }

  @Override
  public void verified(Platform platform, Report report) {
    work.stepDone(platform);
    long errors = report.withSeverity(Severity.ERROR).size();
    long warnings = report.withSeverity(Severity.WARNING).size();
    line(platform + ": verified: " + Report.count(errors, "error") + ", " + Report.count(warnings, "warning"));
    if (errors + warnings > 0) {
      for (String l : report.render().split("\n")) {
        line("  " + l);
      }
    }
  }

  @Override
  public void blobStarted(String target, Descriptor blob) {
    work.platformsDone(); // every image is assembled before the first blob moves
    work.blob(verb(target), blob.digest(), 0, blob.size(), System.nanoTime());
  }

  @Override
  public void blobProgress(String target, Descriptor blob, long bytes) {
    work.blob(verb(target), blob.digest(), bytes, blob.size(), System.nanoTime());
  }

  @Override
  public void blobDone(String target, Descriptor blob, String outcome) {
    work.platformsDone(); // a push of blobs the target has starts none
    work.blobDone(blob.digest());
    line(String.format("%-8s %s %s", outcome, blob.digest().shortForm(), Args.size(blob.size())));
  }

  @Override
  public void targetChecking(String target) {
    line("check target " + target);
  }

  @Override
  public void retrying(String what, String why, java.time.Duration wait, int attempt, int maxAttempts) {
    line(dev.graft.registry.RetryListener.describe(what, why, wait, attempt, maxAttempts));
  }

  @Override
  public void targetWritten(String target, Digest digest) {
    line("wrote " + target + " " + digest);
  }

  /** A line of its own among the progress (the registry build cache's, say), not overwritten by the live block. */
  void note(String message) {
    line(message);
  }

  /** "push" to a registry, "write" into a local layout or archive. */
  static String verb(String target) {
    return target.startsWith("oci:") || target.startsWith("oci-archive:") || target.startsWith("docker-archive:")
        ? "write" : "push";
  }

  private synchronized void line(String s) {
    clear();
    err.println(s);
    draw();
    err.flush();
    lastOutput = System.nanoTime();
  }

  private synchronized void tick() {
    long now = System.nanoTime();
    if (mode == Mode.LIVE) {
      clear();
      draw();
      err.flush();
    } else if (now - lastOutput >= HEARTBEAT_NANOS && !work.isEmpty()) {
      err.println("still working: " + String.join("; ", work.lines(now, Integer.MAX_VALUE)));
      err.flush();
      lastOutput = now;
    }
  }

  private void draw() {
    if (mode != Mode.LIVE) {
      return;
    }
    List<String> lines = work.lines(System.nanoTime(), width - 1);
    lines.forEach(err::println);
    drawn = lines.size();
  }

  private void clear() {
    if (drawn > 0) {
      err.print("\r" + String.format(UP, drawn) + ERASE_DOWN);
      drawn = 0;
    }
  }

  @Override
  public synchronized void close() {
    ticker.shutdownNow();
    clear();
    err.flush();
  }
}
