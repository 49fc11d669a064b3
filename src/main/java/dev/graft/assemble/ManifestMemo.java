package dev.graft.assemble;

import dev.graft.layer.CacheFile;
import dev.graft.oci.Blob;
import dev.graft.oci.Descriptor;
import dev.graft.oci.Digest;
import dev.graft.oci.ImageRef;
import dev.graft.oci.ImageSource;
import dev.graft.oci.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A registry image's platform manifest and config kept by digest (cache folder {@code manifests/}),
 * so a rebuild resolves an unchanged base or builder with one request (its tag or digest) instead
 * of three: what a digest names cannot change, so asking the registry for it again only repeats a
 * round trip. A kept copy is used only when its bytes still have the digest and size asked for;
 * anything else (absent, damaged, another format) is fetched as before and kept again. Local
 * layouts and archives are read directly: reading them is as cheap as reading this folder.
 */
final class ManifestMemo {
  private static final String FORMAT = "graft-manifest-v1";

  private final Path dir; // null: keep nothing

  private ManifestMemo(Path dir) {
    this.dir = dir;
  }

  static ManifestMemo in(Path cacheDir) {
    return new ManifestMemo(cacheDir == null ? null : cacheDir.resolve("manifests"));
  }

  static ManifestMemo none() {
    return new ManifestMemo(null);
  }

  /** The manifest {@code d} names, from here when kept, else from {@code source}. */
  Blob manifest(ImageSource source, Descriptor d) throws IOException {
    return kept(source, d, true);
  }

  /** The config blob {@code d} names, from here when kept, else from {@code source}. */
  Blob config(ImageSource source, Descriptor d) throws IOException {
    return kept(source, d, false);
  }

  private Blob kept(ImageSource source, Descriptor d, boolean manifest) throws IOException {
    if (dir == null || !(source.ref() instanceof ImageRef.Registry) || !d.digest().algorithm().equals("sha256")) {
      return fetch(source, d, manifest);
    }
    Path file = dir.resolve(d.digest().algorithm() + "-" + d.digest().hex());
    Optional<Blob> known = CacheFile.read(file, FORMAT, in -> {
      String mediaType = CacheFile.readString(in);
      byte[] bytes = CacheFile.readBytes(in);
      return bytes.length == d.size() && bytes.length <= Json.MAX_DOCUMENT_BYTES
          && Digest.sha256(bytes).equals(d.digest()) ? new Blob(mediaType, bytes) : null;
    });
    if (known.isPresent()) {
      return known.get();
    }
    Blob fetched = fetch(source, d, manifest);
    try {
      CacheFile.write(dir, file.getFileName().toString(), FORMAT, out -> {
        CacheFile.writeString(out, fetched.mediaType());
        CacheFile.writeBytes(out, fetched.bytes());
      });
    } catch (IOException e) {
      // only a saving for the next build: this one has what it needs
    }
    return fetched;
  }

  private static Blob fetch(ImageSource source, Descriptor d, boolean manifest) throws IOException {
    return manifest ? source.manifest(d) : source.readBlob(d);
  }
}
