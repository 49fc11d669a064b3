package dev.graft.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.buildcache.CacheListener;
import dev.graft.oci.Digest;
import dev.graft.oci.ImageRef;
import dev.graft.oci.Json;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Says what the registry build cache did: one line per cache read or written (unless quiet), a
 * warning when one was refused or could not be written, and a summary for {@code --json}.
 */
final class CacheNotes implements CacheListener {
  private final java.util.function.Consumer<String> info;
  private final java.util.function.Consumer<String> warn;
  private final Set<Digest> reused = ConcurrentHashMap.newKeySet();
  private final List<String> read = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private volatile String written;
  private volatile long bytesUploaded;

  private CacheNotes(java.util.function.Consumer<String> info, java.util.function.Consumer<String> warn) {
    this.info = info;
    this.warn = warn;
  }

  /** Lines among the build's progress; with --json only warnings, as note events; with --quiet only warnings. */
  static CacheNotes of(dev.graft.assemble.BuildListener progress, PrintWriter err) {
    if (progress instanceof BuildProgress lines) {
      return new CacheNotes(lines::note, lines::note);
    }
    if (progress instanceof JsonProgress json) {
      return new CacheNotes(m -> {}, json::note);
    }
    return new CacheNotes(m -> {}, m -> {
      err.println(m);
      err.flush();
    });
  }

  @Override
  public synchronized void read(ImageRef.Registry ref, Digest manifest, int layers, int records) {
    read.add(ref.toString());
    info.accept("build cache: read " + ref + " (" + layers + " layers, " + records + " records)");
  }

  @Override
  public void absent(ImageRef.Registry ref) {
    info.accept("build cache: none at " + ref + " yet");
  }

  @Override
  public synchronized void ignored(ImageRef.Registry ref, String message) {
    warnings.add(message);
    warn.accept("warning: " + message);
  }

  @Override
  public void layerReused(ImageRef.Registry ref, Digest layer) {
    reused.add(layer);
  }

  @Override
  public void blobMissing(ImageRef.Registry ref, Digest layer) {
    info.accept("build cache: layer " + layer.shortForm() + " is no longer in " + ref.registry() + "/"
        + ref.repository() + "; building it");
  }

  @Override
  public void written(ImageRef.Registry ref, Digest manifest, long bytes) {
    written = ref + "@" + manifest;
    bytesUploaded = bytes;
    info.accept("build cache: wrote " + ref + " (" + bytes + " bytes uploaded)");
  }

  @Override
  public void unchanged(ImageRef.Registry ref, Digest manifest) {
    written = ref + "@" + manifest;
  }

  /** The {@code buildCache} object of {@code --json}. */
  synchronized ObjectNode json() {
    ObjectNode n = Json.object();
    read.forEach(n.putArray("read")::add);
    n.put("layersReused", reused.size());
    if (written != null) {
      n.put("written", written);
    }
    n.put("bytesUploaded", bytesUploaded);
    warnings.forEach(n.putArray("warnings")::add);
    return n;
  }
}
