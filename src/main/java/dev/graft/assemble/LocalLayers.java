package dev.graft.assemble;

import dev.graft.config.LayerSource;
import dev.graft.config.LayerSpec;
import dev.graft.config.PlatformPlan;
import dev.graft.fs.FileTree;
import dev.graft.fs.FileTreeCache;
import dev.graft.layer.HostFileHashes;
import dev.graft.layer.Layer;
import dev.graft.layer.LayerCache;
import dev.graft.layer.LayerEntry;
import dev.graft.layer.LayerOptions;
import dev.graft.oci.Manifest;
import dev.graft.oci.Digest;
import dev.graft.oci.Futures;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The work on a platform's local-directory layers that starts before its base is resolved, one
 * thread per directory: the walk (its changed files hashed) and, on a rebuild, a guess: the files
 * placed onto the base tree the same base reference gave last time ({@link PreviousBaseTree}) and the layer
 * written. The guess is used only when the resolved base is that tree ({@link #guessesHold}); else
 * it is dropped, and {@link #close} stops a write still running (its partial file is deleted).
 */
final class LocalLayers implements AutoCloseable {
  private record Work(FutureTask<HostFileHashes> hashes, FutureTask<List<LayerEntry>> walk,
      FutureTask<List<LayerEntry>> placed, FutureTask<Layer> written) {}

  private final PlatformPlan pp;
  private final PreviousBaseTree lastBase;
  private final Optional<PreviousBaseTree.Recalled> recalled;
  private final Map<Integer, Work> work = new HashMap<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean guessesHold;

  private LocalLayers(PlatformPlan pp, PreviousBaseTree lastBase, Optional<PreviousBaseTree.Recalled> recalled) {
    this.pp = pp;
    this.lastBase = lastBase;
    this.recalled = recalled;
  }

  /** Starts the walks (and, when a base tree is remembered, the guesses) of {@code pp}'s directories. */
  static LocalLayers start(PlatformPlan pp, Path cacheDir, LayerCache cache, FileTreeCache trees,
      Function<LayerSpec, LayerOptions> layerOptions) {
    boolean anyDirectory = pp.layers().stream().anyMatch(l -> l.source() instanceof LayerSource.Directory);
    PreviousBaseTree lastBase = new PreviousBaseTree(cacheDir);
    Optional<PreviousBaseTree.Recalled> recalled = anyDirectory ? lastBase.recall(pp.base(), pp.platform()) : Optional.empty();
    LocalLayers local = new LocalLayers(pp, lastBase, recalled);
    Lazy<Optional<FileTree>> guessedBase = new Lazy<>(
        () -> recalled.flatMap(r -> trees.recallShape(r.treeKey(), r.layerDigests())));
    for (int index = 0; index < pp.layers().size(); index++) {
      LayerSpec spec = pp.layers().get(index);
      if (!(spec.source() instanceof LayerSource.Directory d)) {
        continue;
      }
      FutureTask<HostFileHashes> hashes = new FutureTask<>(() -> HostFileHashes.open(cacheDir, d.dir()));
      FutureTask<List<LayerEntry>> walk = new FutureTask<>(() -> FromDirectory.walk(spec, d.dir(), hashes.get()));
      FutureTask<List<LayerEntry>> placed = new FutureTask<>(() -> {
        Optional<FileTree> tree = guessedBase.get();
        return tree.isEmpty() ? null : FromDirectory.placeLocal(spec, d.dir(), walk.get(), tree.get());
      });
      FutureTask<Layer> written = new FutureTask<>(() -> {
        List<LayerEntry> entries = placed.get();
        if (entries == null || entries.isEmpty()) {
          return null;
        }
        Layer l = cache.getOrWrite(entries, layerOptions.apply(spec));
        hashes.get().save();
        return l;
      });
      Thread t = new Thread(() -> {
        hashes.run();
        walk.run();
        if (recalled.isPresent()) {
          placed.run();
          written.run();
        }
      }, "graft-walk");
      t.setDaemon(true);
      t.start();
      local.threads.add(t);
      local.work.put(index, new Work(hashes, walk, placed, written));
    }
    return local;
  }

  /** The file hashes of layer {@code index}'s directory, or none when it is not a directory layer. */
  HostFileHashes hashes(int index) throws IOException {
    Work w = work.get(index);
    return w == null ? HostFileHashes.none() : Futures.await(w.hashes(), "build");
  }

  /** Layer {@code index}'s walk, or null when it is not a directory layer. */
  Callable<List<LayerEntry>> walked(int index) {
    Work w = work.get(index);
    return w == null ? null : () -> Futures.await(w.walk(), "build");
  }

  /**
   * Whether the guesses were made on {@code manifest}'s tree (so they are what selecting now would
   * give); the tree is remembered for the next build either way.
   */
  boolean guessesHold(Manifest manifest, List<Digest> diffIds) {
    if (!work.isEmpty()) {
      lastBase.remember(pp.base(), pp.platform(), manifest, diffIds);
    }
    guessesHold = PreviousBaseTree.sameTree(recalled, manifest, diffIds);
    return guessesHold;
  }

  /**
   * Layer {@code index}'s guessed entries, or null (the guesses do not hold, none was made, or it
   * failed: select as usual).
   */
  List<LayerEntry> guessedEntries(int index) {
    Work w = work.get(index);
    return w == null || !guessesHold ? null : quietly(w.placed());
  }

  /** Layer {@code index}'s guessed layer, or null (none made, or it failed: write as usual). */
  Layer guessedLayer(int index) {
    Work w = work.get(index);
    return w == null ? null : quietly(w.written());
  }

  private static <T> T quietly(Future<T> f) {
    try {
      return f.get();
    } catch (ExecutionException | CancellationException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Stops a guessed write that is still running (the base was another) and waits for the threads. */
  @Override
  public void close() throws InterruptedIOException {
    work.values().forEach(w -> w.written().cancel(true));
    for (Thread t : threads) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while stopping the walk of local directories");
      }
    }
  }
}
