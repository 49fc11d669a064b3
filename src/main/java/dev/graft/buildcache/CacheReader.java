package dev.graft.buildcache;

import dev.graft.oci.Blob;
import dev.graft.oci.Descriptor;
import dev.graft.oci.Digest;
import dev.graft.oci.ImageRef;
import dev.graft.oci.OciFormatException;
import dev.graft.registry.RegistryException;
import dev.graft.registry.RegistryOptions;
import dev.graft.registry.RegistrySource;
import java.io.IOException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a build cache from a registry: the manifest (checked against its digest by the registry
 * source: the one named by digest, else the one the registry names for the tag), the record blob
 * (checked against the manifest's descriptor, bounded), and the record itself, which may name only
 * layer blobs the manifest holds. Anything else is refused whole.
 */
final class CacheReader {
  private CacheReader() {}

  /** A cache as read: where, its manifest digest, its record. */
  record Loaded(ImageRef.Registry ref, Digest manifest, CacheRecord record) {}

  /** The cache at {@code ref}; empty when there is none or it was refused (the listener hears why). */
  static Optional<Loaded> read(ImageRef.Registry ref, RegistryOptions options, CacheListener listener) {
    try (RegistrySource source = new RegistrySource(ref, options)) {
      Blob manifest = source.root();
      String where = "build cache " + ref;
      CacheArtifact.Parsed parsed = CacheArtifact.parse(manifest, where);
      Blob recordBlob = source.readBlob(parsed.record());
      CacheRecord record = CacheRecord.parse(recordBlob.bytes(), where);
      Set<Descriptor> held = new HashSet<>(parsed.layers());
      for (CachedLayer l : record.layers()) {
        if (!held.contains(l.blob())) {
          throw new OciFormatException(where + " names layer " + l.blob().digest()
              + " that its manifest does not hold");
        }
      }
      listener.read(ref, manifest.digest(), record.layers().size(), record.files().size());
      return Optional.of(new Loaded(ref, manifest.digest(), record));
    } catch (RegistryException e) {
      if (e.status() == 404) {
        listener.absent(ref);
      } else {
        listener.ignored(ref, "cannot read build cache " + ref + ": " + e.getMessage() + "; building without it");
      }
      return Optional.empty();
    } catch (OciFormatException e) {
      listener.ignored(ref, e.getMessage() + "; building without it");
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      listener.ignored(ref, "cannot read build cache " + ref + ": " + e.getMessage() + "; building without it");
      return Optional.empty();
    }
  }
}
