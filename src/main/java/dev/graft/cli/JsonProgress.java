package dev.graft.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.assemble.AddedLayer;
import dev.graft.assemble.BuildListener;
import dev.graft.oci.Descriptor;
import dev.graft.oci.Digest;
import dev.graft.oci.Json;
import dev.graft.oci.Platform;
import dev.graft.verify.Report;
import dev.graft.verify.Severity;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Build events as JSON on stderr, one object per line, for tools that watch a build (the result
 * itself is the one object on stdout). Every event has {@code event} and {@code t} (seconds since
 * the build started); the fields of each kind are defined in docs/progress.md. Byte progress of
 * one layer or blob is sent at most once a second.
 */
final class JsonProgress implements BuildListener {
  private static final long THROTTLE = TimeUnit.SECONDS.toNanos(1);
  private final PrintWriter err;
  private final long start = System.nanoTime();
  private final Map<String, Long> lastProgress = new ConcurrentHashMap<>();

  JsonProgress(PrintWriter err) {
    this.err = err;
  }

  /** Something the configuration says the user should know (the text of a "note:" line). */
  void note(String message) {
    emit(event("note").put("message", message));
  }

  @Override
  public void stepStarted(Platform platform, String step, String detail) {
    emit(event("step").put("platform", platform.toString()).put("step", step).put("detail", detail));
  }

  @Override
  public void layerProgress(Platform platform, String layer, long bytes, long total) {
    if (due(platform + " " + layer, bytes >= total)) {
      emit(event("layer-progress").put("platform", platform.toString()).put("layer", layer).put("bytes", bytes)
          .put("total", total));
    }
  }

  @Override
  public void layerWritten(Platform platform, AddedLayer layer) {
    emit(event("layer").put("platform", platform.toString()).put("layer", layer.name())
        .put("digest", layer.layer().digest().toString()).put("size", layer.layer().compressedSize())
        .put("cached", layer.cached()));
  }

  @Override
  public void verified(Platform platform, Report report) {
    ObjectNode e = event("verified").put("platform", platform.toString())
        .put("errors", report.withSeverity(Severity.ERROR).size())
        .put("warnings", report.withSeverity(Severity.WARNING).size());
    var findings = e.putArray("findings");
    report.findings().forEach(f -> findings.addObject().put("severity", f.severity().name().toLowerCase())
        .put("code", f.code()).put("path", f.path()).put("message", f.message()).put("fix", f.fix()));
    emit(e);
  }

  @Override
  public void blobStarted(String target, Descriptor blob) {
    emit(event("blob-start").put("target", target).put("digest", blob.digest().toString()).put("size", blob.size()));
  }

  @Override
  public void blobProgress(String target, Descriptor blob, long bytes) {
    if (due(target + " " + blob.digest(), bytes >= blob.size())) {
      emit(event("blob-progress").put("target", target).put("digest", blob.digest().toString())
          .put("bytes", bytes).put("size", blob.size()));
    }
  }

  @Override
  public void blobDone(String target, Descriptor blob, String outcome) {
    emit(event("blob").put("target", target).put("digest", blob.digest().toString()).put("size", blob.size())
        .put("outcome", outcome));
  }

  @Override
  public void targetWritten(String target, Digest digest) {
    emit(event("target").put("target", target).put("digest", digest.toString()));
  }

  private boolean due(String key, boolean last) {
    long now = System.nanoTime();
    Long before = lastProgress.get(key);
    if (last || before == null || now - before >= THROTTLE) {
      lastProgress.put(key, now);
      return true;
    }
    return false;
  }

  private ObjectNode event(String kind) {
    return Json.object().put("event", kind)
        .put("t", Math.round((System.nanoTime() - start) / 1e6) / 1e3);
  }

  private synchronized void emit(ObjectNode e) {
    err.println(new String(Json.write(e), StandardCharsets.UTF_8));
    err.flush();
  }
}
