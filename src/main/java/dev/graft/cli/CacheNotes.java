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
  private final PrintWriter err;
  private final boolean chatty;
  private final Set<Digest> reused = ConcurrentHashMap.newKeySet();
  private final List<String> read = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private volatile String written;
  private volatile long bytesUploaded;

  CacheNotes(PrintWriter err, boolean chatty) {
    this.err = err;
    this.chatty = chatty;
  }

  @Override
  public synchronized void read(ImageRef.Registry ref, Digest manifest, int layers, int records) {
    read.add(ref.toString());
    if (chatty) {
      err.println("build cache: read " + ref + " (" + layers + " layers, " + records + " records)");
    }
  }

  @Override
  public void absent(ImageRef.Registry ref) {
    if (chatty) {
      err.println("build cache: none at " + ref + " yet");
    }
  }

  @Override
  public synchronized void ignored(ImageRef.Registry ref, String reason) {
    warnings.add(reason);
    err.println("warning: build cache " + ref + ": " + reason);
  }

  @Override
  public void layerReused(ImageRef.Registry ref, Digest layer) {
    reused.add(layer);
  }

  @Override
  public void blobMissing(ImageRef.Registry ref, Digest layer) {
    if (chatty) {
      err.println("build cache: layer " + layer.shortForm() + " is no longer in " + ref.registry() + "/"
          + ref.repository() + "; building it");
    }
  }

  @Override
  public void written(ImageRef.Registry ref, Digest manifest, long bytes) {
    written = ref + "@" + manifest;
    bytesUploaded = bytes;
    if (chatty) {
      err.println("build cache: wrote " + ref + " (" + bytes + " bytes uploaded)");
    }
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
