package dev.graft.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes an image into an OCI image layout directory. Blobs go to {@code blobs/<alg>/<hex>}
 * through temp files; index.json is replaced atomically in {@link #commit}, keeping the entries of
 * other tags. A directory that does not exist yet is built beside its final name and renamed into
 * place on commit, so a failed copy leaves nothing behind.
 *
 * <p>Several graft processes may write one layout at once: commit holds an exclusive file lock on
 * the layout's own {@code oci-layout} file (written once, never replaced, so every process locks
 * the same file, and nothing but OCI files is ever left in or beside the layout) while it reads,
 * edits and replaces index.json, so no tag is lost. A new layout appears whole by one rename; a
 * process whose rename finds the directory made by another meanwhile moves its blobs in instead.
 */
public final class OciLayoutSink implements ImageSink {
  private final ImageRef ref;
  private final String tag;
  private Path writeDir;
  private Path finalDir;
  /** A layout directory others may write too (not an archive's private staging). */
  private boolean shared;
  /** Threads of one JVM queue here: a FileLock excludes other processes, not other threads. */
  private static final Map<Path, Object> MONITORS = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, String> extraAnnotations;
  private boolean committed;
  /** The target directory existed but was empty: a failed copy empties it again. */
  private boolean emptyBefore;
  private final StagingDir temps;
  private final boolean ownsTemps;

  /** Creates {@code oci:DIR[:TAG]} or adds the image to an existing layout there. */
  public static OciLayoutSink create(ImageRef.OciLayout ref) throws IOException {
    Path dir = ref.dir().toAbsolutePath().normalize();
    TargetPath.requireDirectoryOrNew(ref, dir);
    if (Files.isDirectory(dir)) {
      boolean layout = Files.isRegularFile(dir.resolve(OciLayouts.OCI_LAYOUT_FILE));
      boolean empty;
      try (var entries = Files.list(dir)) {
        empty = entries.findAny().isEmpty();
      }
      if (!layout && !empty) {
        throw new OciFormatException(ref + ": " + dir + " exists and is not an OCI image layout;"
            + " name a new or empty directory");
      }
      OciLayoutSink sink = new OciLayoutSink(ref, dir, ref.tag(), null, Map.of(), staging(dir), true);
      sink.emptyBefore = empty;
      sink.shared = true;
      return sink;
    }
    StagingDir staging = staging(dir);
    OciLayoutSink sink = new OciLayoutSink(ref, Files.createDirectory(staging.path().resolve("layout")), ref.tag(),
        dir, Map.of(), staging, true);
    sink.shared = true;
    return sink;
  }

  /**
   * A staging directory beside {@code target} (after removing those killed runs left there): where
   * temp files are written before they are renamed into the layout (never inside its blobs/), and
   * where a new layout or an archive's is built.
   */
  static StagingDir staging(Path target) throws IOException {
    Path parent = target.toAbsolutePath().getParent();
    StagingDir.sweep(parent, "." + target.getFileName() + ".graft-");
    return StagingDir.create(parent, "." + target.getFileName() + ".graft-staging-");
  }

  /**
   * Writes into {@code writeDir}; on commit renames it to {@code finalDir} unless that is null.
   * Temp files go to {@code temps}, closed with this sink when it {@code ownsTemps}.
   */
  OciLayoutSink(ImageRef ref, Path writeDir, String tag, Path finalDir, Map<String, String> extraAnnotations,
      StagingDir temps, boolean ownsTemps) {
    this.extraAnnotations = Map.copyOf(extraAnnotations);
    this.ref = ref;
    this.writeDir = writeDir;
    this.tag = tag;
    this.finalDir = finalDir;
    this.temps = temps;
    this.ownsTemps = ownsTemps;
  }

  @Override
  public ImageRef ref() {
    return ref;
  }

  Path writeDir() {
    return writeDir;
  }

  private boolean hasBlob(Descriptor descriptor) throws IOException {
    Path p = OciLayouts.blobPath(writeDir, descriptor.digest());
    return Files.isRegularFile(p) && Files.size(p) == descriptor.size();
  }

  @Override
  public BlobOutcome putBlob(Descriptor descriptor, BlobContent content) throws IOException {
    if (hasBlob(descriptor)) {
      return BlobOutcome.PRESENT;
    }
    // Verify again while writing: the content may come from anywhere, the layout must not lie.
    try (InputStream in = new VerifyingInputStream(content.open(), descriptor, ref.toString())) {
      OciLayouts.copyAtomically(in, OciLayouts.blobPath(writeDir, descriptor.digest()), temps);
    }
    return BlobOutcome.WRITTEN;
  }

  @Override
  public void putManifest(Blob manifest) throws IOException {
    Path p = OciLayouts.blobPath(writeDir, manifest.digest());
    if (!Files.isRegularFile(p)) {
      OciLayouts.writeAtomically(p, manifest.bytes(), temps);
    }
  }

  @Override
  public void commit(Blob root) throws IOException {
    if (!shared) {
      commitUnlocked(root);
      return;
    }
    Path target = (finalDir != null ? finalDir : writeDir).toAbsolutePath().normalize();
    synchronized (MONITORS.computeIfAbsent(target, k -> new Object())) {
      if (finalDir != null && !Files.exists(finalDir)) {
        try {
          commitUnlocked(root); // the staged layout, complete, renamed into place: nothing to lock yet
          return;
        } catch (IOException e) {
          if (!Files.isRegularFile(finalDir.resolve(OciLayouts.OCI_LAYOUT_FILE))) {
            throw e;
          }
          // another process created the layout between the check and the rename: join it below
        }
      }
      Path layout = finalDir != null ? finalDir : writeDir;
      if (finalDir != null && !Files.isRegularFile(layout.resolve(OciLayouts.OCI_LAYOUT_FILE))) {
        throw new OciFormatException(ref + ": " + layout + " appeared while graft wrote it and is not an OCI image"
            + " layout; name a new or empty directory");
      }
      try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(
              layout.resolve(OciLayouts.OCI_LAYOUT_FILE), java.nio.file.StandardOpenOption.CREATE,
              java.nio.file.StandardOpenOption.WRITE);
          java.nio.channels.FileLock held = ch.lock()) {
        if (ch.size() == 0) {
          // an empty directory being made a layout: written in place (a rename would swap the locked file)
          ch.write(java.nio.ByteBuffer.wrap(OciLayouts.OCI_LAYOUT_CONTENT));
        }
        if (finalDir != null) {
          mergeInto(finalDir);
        }
        sweepOldTemps(target);
        commitUnlocked(root);
      }
    }
  }

  /**
   * Removes temp files that graft versions before staging directories left inside a layout (in
   * {@code blobs/<alg>/} and beside index.json) when a run was killed; `umoci gc` fails on them.
   * Under the commit lock, and only those untouched for an hour: such a version may still be
   * writing one.
   */
  private static void sweepOldTemps(Path layout) throws IOException {
    Path blobs = layout.resolve("blobs");
    if (Files.isDirectory(blobs, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      try (var algs = Files.list(blobs)) {
        for (Path alg : algs.toList()) {
          StagingDir.sweep(alg, ".");
        }
      }
    }
    StagingDir.sweep(layout, "." + OciLayouts.INDEX_FILE + ".");
    StagingDir.sweep(layout, "." + OciLayouts.OCI_LAYOUT_FILE + ".");
  }

  /** Moves this sink's blobs into {@code layout} (those it lacks), then writes there instead. */
  private void mergeInto(Path layout) throws IOException {
    Path blobs = writeDir.resolve("blobs");
    if (Files.isDirectory(blobs)) {
      try (var files = Files.walk(blobs)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          Path to = layout.resolve(writeDir.relativize(f).toString());
          if (!Files.exists(to)) {
            Files.createDirectories(to.getParent());
            try {
              Files.move(f, to, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.FileAlreadyExistsException e) {
              // the same content arrived from the other process: content-addressed, so equal
            }
          }
        }
      }
    }
    try (var paths = Files.walk(writeDir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
    writeDir = layout;
    finalDir = null;
  }

  private void commitUnlocked(Blob root) throws IOException {
    if (!Files.isRegularFile(OciLayouts.blobPath(writeDir, root.digest()))) {
      throw new IllegalStateException("commit of " + root.digest() + " before putManifest");
    }
    Map<String, String> annotations = new java.util.TreeMap<>(extraAnnotations);
    if (tag != null) {
      annotations.put(OciLayouts.REF_NAME, tag);
    }
    byte[] indexJson = updatedIndexJson(root.descriptor().withAnnotations(annotations), root.digest());
    if (!Files.isRegularFile(writeDir.resolve(OciLayouts.OCI_LAYOUT_FILE))) {
      OciLayouts.writeAtomically(writeDir.resolve(OciLayouts.OCI_LAYOUT_FILE), OciLayouts.OCI_LAYOUT_CONTENT, temps);
    }
    OciLayouts.writeAtomically(writeDir.resolve(OciLayouts.INDEX_FILE), indexJson, temps);
    if (finalDir != null) {
      // No REPLACE_EXISTING: if someone created the directory meanwhile, fail instead of clobbering it.
      Files.move(writeDir, finalDir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
    committed = true;
  }

  /**
   * index.json with {@code entry} replacing the entry of the same tag (or, untagged, the same
   * digest). Edited as a JSON tree so other entries keep fields graft does not model (urls,
   * artifactType, data) exactly as they were.
   */
  private byte[] updatedIndexJson(Descriptor entry, Digest digest) throws IOException {
    Path file = writeDir.resolve(OciLayouts.INDEX_FILE);
    ObjectNode index;
    if (Files.isRegularFile(file)) {
      OciLayoutSource.readIndex(ref, new DirectoryLayoutFiles(writeDir, ref.toString())); // validates it
      index = (ObjectNode) Json.parse(Files.readAllBytes(file), ref + ": index.json");
    } else {
      index = Json.document(MediaTypes.OCI_INDEX);
    }
    ArrayNode kept = Json.MAPPER.createArrayNode();
    for (JsonNode d : index.path("manifests")) {
      JsonNode name = d.path("annotations").get(OciLayouts.REF_NAME);
      String t = name != null && name.isTextual() ? name.asText() : null;
      boolean replaced = tag != null ? tag.equals(t) : t == null && digest.toString().equals(d.path("digest").asText());
      if (!replaced) {
        kept.add(d);
      }
    }
    kept.add(Json.descriptorNode(entry));
    index.set("manifests", kept);
    return Json.write(index);
  }

  @Override
  public void close() throws IOException {
    try {
      if (committed) {
        return;
      }
      if (finalDir != null) {
        OciLayouts.deleteTree(writeDir);
      } else if (emptyBefore) {
        try (var entries = Files.list(writeDir)) {
          for (Path p : entries.toList()) {
            OciLayouts.deleteTree(p);
          }
        }
      }
    } finally {
      if (ownsTemps) {
        temps.close();
      }
    }
  }
}
