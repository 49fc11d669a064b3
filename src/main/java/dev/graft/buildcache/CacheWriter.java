package dev.graft.buildcache;

import dev.graft.layer.Layer;
import dev.graft.oci.Blob;
import dev.graft.oci.BlobContent;
import dev.graft.oci.BlobOutcome;
import dev.graft.oci.Descriptor;
import dev.graft.oci.Digest;
import dev.graft.oci.ImageRef;
import dev.graft.oci.Json;
import dev.graft.registry.RegistryOptions;
import dev.graft.registry.RegistrySink;
import dev.graft.transfer.Attachments;
import dev.graft.transfer.BlobTally;
import dev.graft.transfer.BlobToWrite;
import dev.graft.transfer.ImageContents;
import dev.graft.transfer.ImageWriter;
import dev.graft.transfer.WriteListener;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pushes a build cache through the one image writer ({@link ImageWriter}): every layer blob the
 * record names (skipped when the repository has it, mounted from the repository it came from, else
 * uploaded from the local cache), the record, the manifest by digest, then the tag. A record too big for a registry's manifest-sized blobs
 * goes without its carried files (the layers alone still spare the next build its work).
 */
final class CacheWriter {
  /** Blobs pushed at once, as a build's or copy's push by default. */
  private static final int PUSH_JOBS = 4;

  private final ImageRef.Registry to;
  private final RegistryOptions options;
  private final CacheListener listener;

  CacheWriter(ImageRef.Registry to, RegistryOptions options, CacheListener listener) {
    this.to = to;
    this.options = options;
    this.listener = listener;
  }

  /**
   * @param blobs the used layers by blob digest, for their content
   * @param current what {@code to} held when the build started, if it was read
   */
  void write(CacheRecord record, Map<Digest, Layer> blobs, Optional<CacheReader.Loaded> current) throws IOException {
    if (current.isPresent() && current.get().record().equals(record)) {
      listener.unchanged(to, current.get().manifest()); // the usual rebuild: not even serialised again
      return;
    }
    byte[] json = record.toJson();
    if (json.length > Json.MAX_DOCUMENT_BYTES) {
      record = record.withoutFiles();
      json = record.toJson();
    }
    Blob recordBlob = new Blob(CacheArtifact.RECORD_TYPE, json);
    Blob manifest = CacheArtifact.manifest(recordBlob, record);
    if (current.isPresent() && current.get().manifest().equals(manifest.digest())) {
      listener.unchanged(to, manifest.digest());
      return;
    }
    List<BlobToWrite> toWrite = new ArrayList<>();
    for (Descriptor d : CacheArtifact.layerBlobs(record)) {
      toWrite.add(new BlobToWrite(d, LayerContent.of(blobs.get(d.digest()), options)));
    }
    toWrite.add(new BlobToWrite(recordBlob.descriptor(), BlobContent.of(recordBlob.bytes())));
    BlobTally tally;
    try (RegistrySink sink = new RegistrySink(to, options)) {
      tally = new ImageWriter(PUSH_JOBS, WriteListener.NONE).write(sink,
          new ImageContents(toWrite, List.of(manifest), manifest), Attachments.NONE);
    }
    listener.written(to, manifest.digest(), tally.bytes(BlobOutcome.UPLOADED));
  }
}
