package dev.graft.buildcache;

import dev.graft.layer.Layer;
import dev.graft.layer.SharedCache;
import dev.graft.oci.Descriptor;
import dev.graft.oci.Digest;
import dev.graft.oci.ImageRef;
import dev.graft.registry.RegistryOptions;
import dev.graft.registry.RegistrySource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The registry build cache of one build. {@link #start} reads the {@code from} caches in the
 * background (the build meanwhile resolves its images); the local caches then ask it after each
 * miss ({@link SharedCache}), and it answers a layer only when the registry still holds its blob
 * at its size (one HEAD per blob, remembered). Everything the build used is recorded, and
 * {@link #write} leaves that record at {@code to} for the next build. Earlier caches win over
 * later ones for the same key. Thread-safe.
 */
public final class RegistryBuildCache implements SharedCache {
  private final List<ImageRef.Registry> from;
  private final ImageRef.Registry to;
  private final RegistryOptions options;
  private final Path cacheDir;
  private final CacheListener listener;
  private final CompletableFuture<Sources> loaded;
  private final Map<String, CompletableFuture<Boolean>> present = new ConcurrentHashMap<>();
  private final Map<String, Layer> usedLayers = new ConcurrentSkipListMap<>();
  private final Map<String, Boolean> usedFiles = new ConcurrentSkipListMap<>();

  /** What the {@code from} caches offer, merged, and what {@code to} held when read. */
  private record Sources(Map<String, Offer> layers, Map<String, byte[]> files, Optional<CacheReader.Loaded> current) {}

  /** A layer a cache offers, and the repository its blob is in. */
  private record Offer(CachedLayer layer, ImageRef.Registry repository) {}

  private RegistryBuildCache(List<ImageRef.Registry> from, ImageRef.Registry to, RegistryOptions options,
      Path cacheDir, CacheListener listener) {
    this.from = List.copyOf(from);
    this.to = to;
    this.options = options;
    this.cacheDir = cacheDir;
    this.listener = listener;
    this.loaded = new CompletableFuture<>();
  }

  /**
   * Starts reading {@code from} (in order of precedence) on a daemon thread.
   *
   * @param to where {@link #write} leaves this build's record, or null for nowhere
   * @param cacheDir the local cache directory whose {@code select/} and {@code verify/} files the
   *     record carries
   */
  public static RegistryBuildCache start(List<ImageRef.Registry> from, ImageRef.Registry to,
      RegistryOptions options, Path cacheDir, CacheListener listener) {
    RegistryBuildCache cache = new RegistryBuildCache(from, to, options, cacheDir, listener);
    Thread t = new Thread(() -> cache.loaded.complete(cache.load()), "graft-cache-read");
    t.setDaemon(true);
    t.start();
    return cache;
  }

  private Sources load() {
    Map<String, Offer> layers = new HashMap<>();
    Map<String, byte[]> files = new HashMap<>();
    Optional<CacheReader.Loaded> current = Optional.empty();
    for (ImageRef.Registry ref : from) {
      Optional<CacheReader.Loaded> l = CacheReader.read(ref, options, listener);
      if (l.isEmpty()) {
        continue;
      }
      CacheReader.Loaded cache = l.get();
      if (cache.ref().equals(to)) {
        current = l;
      }
      ImageRef.Registry repository = cache.ref();
      cache.record().layers().forEach(x -> layers.putIfAbsent(x.key(), new Offer(x, repository)));
      cache.record().files().forEach(f -> files.putIfAbsent(f.name(), f.bytes()));
    }
    return new Sources(Map.copyOf(layers), Map.copyOf(files), current);
  }

  private Sources sources() {
    return loaded.join();
  }

  @Override
  public Optional<Found> layer(String key, String mediaType) {
    Offer offer = sources().layers().get(key);
    if (offer == null || !offer.layer().blob().mediaType().equals(mediaType)) {
      return Optional.empty();
    }
    Descriptor blob = offer.layer().blob();
    if (!present(offer.repository(), blob)) {
      listener.blobMissing(offer.repository(), blob.digest());
      return Optional.empty();
    }
    listener.layerReused(offer.repository(), blob.digest());
    return Optional.of(new Found(blob, offer.layer().diffId(), offer.repository()));
  }

  /** Whether {@code repository} holds {@code blob} at its size; asked once per blob and repository. */
  private boolean present(ImageRef.Registry repository, Descriptor blob) {
    String id = repository.registry() + "/" + repository.repository() + "@" + blob.digest() + ":" + blob.size();
    CompletableFuture<Boolean> mine = new CompletableFuture<>();
    CompletableFuture<Boolean> asked = present.putIfAbsent(id, mine);
    if (asked != null) {
      return asked.join();
    }
    boolean there;
    try (RegistrySource source = new RegistrySource(repository, options)) {
      there = source.hasBlob(blob);
    } catch (IOException | RuntimeException e) {
      there = false; // cannot tell: build it
    }
    mine.complete(there);
    return there;
  }

  @Override
  public Optional<byte[]> file(String folder, String key) {
    return Optional.ofNullable(sources().files().get(folder + "/" + key));
  }

  @Override
  public void usedLayer(String key, Layer layer) {
    usedLayers.put(key, layer);
  }

  @Override
  public void usedFile(String folder, String key) {
    usedFiles.put(folder + "/" + key, Boolean.TRUE);
  }

  /** What this build used, as a record: its layers, and the local cache files it read or wrote. */
  CacheRecord record() throws IOException {
    List<CachedLayer> layers = new ArrayList<>();
    usedLayers.forEach((key, l) -> layers.add(new CachedLayer(key, l.descriptor(), l.diffId())));
    List<CachedFile> files = new ArrayList<>();
    for (String name : usedFiles.keySet()) {
      int slash = name.indexOf('/');
      Path file = cacheDir.resolve(name.substring(0, slash)).resolve(name.substring(slash + 1));
      if (Files.isRegularFile(file) && Files.size(file) <= CacheRecord.MAX_FILE_BYTES) {
        files.add(new CachedFile(name.substring(0, slash), name.substring(slash + 1), Files.readAllBytes(file)));
      }
    }
    return new CacheRecord(layers, files);
  }

  /**
   * Leaves this build's record at {@code to}: its layer blobs (already there after a push to the
   * same repository, else mounted or uploaded), the record, the manifest, then the tag. Nothing
   * when there is no {@code to}, nothing was used, or {@code to} already holds this very record.
   * A failure here never fails the build: the listener hears it.
   */
  public void write() {
    if (to == null || usedLayers.isEmpty()) {
      return;
    }
    try {
      CacheRecord record = record();
      Map<Digest, Layer> blobs = new HashMap<>();
      usedLayers.values().forEach(l -> blobs.putIfAbsent(l.digest(), l));
      new CacheWriter(to, options, listener).write(record, blobs, sources().current());
    } catch (IOException | RuntimeException e) {
      listener.ignored(to, "could not write build cache " + to + " (the image is pushed): " + e.getMessage());
    }
  }
}
