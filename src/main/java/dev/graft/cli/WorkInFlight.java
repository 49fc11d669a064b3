package dev.graft.cli;

import dev.graft.oci.Digest;
import dev.graft.oci.Platform;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a build is doing right now, as build events report it: each platform's current step, the
 * layers being written, the blobs moving, with bytes, totals and rates. Synchronised: events
 * arrive from many threads and the display reads it from its own. Times are the caller's
 * {@code System.nanoTime()}, so the text is a pure function of the events and the time asked.
 */
final class WorkInFlight {
  private record Step(String text, long since) {}

  private static final class Moving {
    final String label;
    final long since;
    long bytes;
    long total;

    Moving(String label, long total, long since) {
      this.label = label;
      this.total = total;
      this.since = since;
    }
  }

  private final Map<Platform, Step> steps = new LinkedHashMap<>();
  private final Map<String, Moving> layers = new LinkedHashMap<>();
  private final Map<Digest, Moving> blobs = new LinkedHashMap<>();

  synchronized void step(Platform p, String text, long now) {
    steps.put(p, new Step(text, now));
  }

  synchronized void stepDone(Platform p) {
    steps.remove(p);
  }

  synchronized void platformsDone() {
    steps.clear();
  }

  synchronized void layer(Platform p, String name, long bytes, long total, long now) {
    Moving m = layers.computeIfAbsent(p + " " + name, k -> new Moving(p + ": write layer " + name, total, now));
    m.bytes = bytes;
    m.total = total;
  }

  synchronized void layerDone(Platform p, String name) {
    layers.remove(p + " " + name);
  }

  synchronized void blob(String verb, Digest d, long bytes, long total, long now) {
    Moving m = blobs.computeIfAbsent(d, k -> new Moving(verb + " " + d.shortForm(), total, now));
    m.bytes = bytes;
  }

  synchronized void blobDone(Digest d) {
    blobs.remove(d);
  }

  synchronized boolean isEmpty() {
    return steps.isEmpty() && layers.isEmpty() && blobs.isEmpty();
  }

  /** One line per piece of work in flight, each at most {@code width} characters. */
  synchronized List<String> lines(long now, int width) {
    List<String> out = new ArrayList<>();
    steps.forEach((p, s) -> out.add(p + ": " + s.text() + " " + seconds(now - s.since())));
    layers.values().forEach(m -> out.add(moving(m, now)));
    blobs.values().forEach(m -> out.add(moving(m, now)));
    return out.stream().map(l -> l.length() <= width ? l : l.substring(0, Math.max(0, width - 1)) + "…").toList();
  }

  private static String moving(Moving m, long now) {
    double secs = (now - m.since) / 1e9;
    String rate = secs >= 0.5 ? " (" + Args.size((long) (m.bytes / secs)) + "/s)" : "";
    return m.label + " " + Args.size(m.bytes) + (m.total > 0 ? " / " + Args.size(m.total) : "") + rate + " "
        + seconds(now - m.since);
  }

  private static String seconds(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.0fs", nanos / 1e9);
  }
}
