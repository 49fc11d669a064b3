package dev.graft.assemble;

import dev.graft.config.ManifestFormat;
import dev.graft.layer.Layer;
import dev.graft.layer.LayerCache;
import dev.graft.oci.Futures;
import dev.graft.oci.MediaTypes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Phase "write layers": each selected layer the cache lacks is written into the layer cache by a
 * small pool, as soon as it is selected ({@link #start}), while later layers are selected and
 * verification reads the same entries (a layer's bytes depend on its entries only); {@link
 * #finish} waits for them. Each layer is reported when written or found, with progress while it is
 * written. Closing stops writes still running (a failed build).
 */
final class WriteLayers implements AutoCloseable {
  private final LayerCache cache;
  private final ManifestFormat format;
  private final Steps steps;
  private final BuildListener listener;
  private final Map<SelectedLayer, Future<Layer>> pending = new IdentityHashMap<>();
  private ExecutorService writers; // started with the first layer to write

  WriteLayers(LayerCache cache, ManifestFormat format, Steps steps, BuildListener listener) {
    this.cache = cache;
    this.format = format;
    this.steps = steps;
    this.listener = listener;
  }

  /** Starts writing {@code s}, unless the cache had it (then it is reported at once). */
  synchronized void start(SelectedLayer s) {
    if (s.cached().isPresent()) {
      listener.layerWritten(steps.platform(), added(s, s.cached().get()));
      return;
    }
    if (writers == null) {
      writers = Futures.daemonPool("graft-layer-writer", 4);
    }
    pending.put(s, writers.submit(() -> {
      // a local directory's files are hashed here for the cache key; a hit writes nothing
      Layer l = steps.run("write " + Steps.layer(s.spec()), null, () -> s.selection().write().write(cache,
          s.entries(), s.options(), (bytes, total) -> listener.layerProgress(steps.platform(), s.spec().name(),
          bytes, total)));
      listener.layerWritten(steps.platform(), added(s, l));
      return l;
    }));
  }

  /** Each of {@code layers} as added to the image, in order, once written. */
  List<AddedLayer> finish(List<SelectedLayer> layers) throws IOException {
    List<AddedLayer> added = new ArrayList<>();
    for (SelectedLayer s : layers) {
      Future<Layer> written;
      synchronized (this) {
        written = pending.get(s);
      }
      added.add(added(s, s.cached().isPresent() ? s.cached().get() : Futures.await(written, "build")));
    }
    return added;
  }

  private AddedLayer added(SelectedLayer s, Layer layer) {
    return new AddedLayer(s.spec().name(), s.history(), withMediaType(layer),
        s.cached().isPresent() || !cache.wrote(layer.digest()));
  }

  private Layer withMediaType(Layer layer) {
    if (format != ManifestFormat.DOCKER) {
      return layer;
    }
    return layer.withMediaType(MediaTypes.DOCKER_LAYER_GZIP); // keeps where a cached blob lives
  }

  @Override
  public synchronized void close() {
    if (writers == null) {
      return;
    }
    writers.shutdownNow();
    try {
      writers.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
