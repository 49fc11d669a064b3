package dev.graft.assemble;

import dev.graft.npm.Libc;
import dev.graft.npm.NpmInstall;
import dev.graft.oci.Platform;
import java.util.ArrayList;
import java.util.List;

/** A listener that keeps, in order, the steps announced and the layers reported (thread-safe). */
final class RecordingListener implements BuildListener {
  private final List<String> steps = new ArrayList<>();
  private final List<AddedLayer> written = new ArrayList<>();
  private final List<long[]> progress = new ArrayList<>();
  private final List<String> npm = new ArrayList<>();

  @Override
  public synchronized void stepStarted(Platform platform, String step, String detail) {
    steps.add(step);
  }

  @Override
  public synchronized void layerWritten(Platform platform, AddedLayer layer) {
    written.add(layer);
  }

  @Override
  public synchronized void layerProgress(Platform platform, String layer, long bytes, long total) {
    progress.add(new long[] {bytes, total});
  }

  @Override
  public synchronized void npmInstalled(Platform platform, String layer, NpmInstall.Result result, Libc libc) {
    npm.add(layer + " " + libc + " " + result.selection().installed().size());
  }

  /** Each npm layer laid out, as "LAYER LIBC PACKAGES". */
  synchronized List<String> npm() {
    return List.copyOf(npm);
  }

  synchronized List<String> steps() {
    return List.copyOf(steps);
  }

  synchronized List<AddedLayer> written() {
    return List.copyOf(written);
  }

  /** Progress reports as {bytes, total}. */
  synchronized List<long[]> progress() {
    return List.copyOf(progress);
  }

  synchronized void clear() {
    steps.clear();
    written.clear();
    progress.clear();
    npm.clear();
  }
}
