package dev.graft.assemble;

import dev.graft.fs.FileTreeCache;
import dev.graft.layer.CacheFile;
import dev.graft.oci.Descriptor;
import dev.graft.oci.Digest;
import dev.graft.oci.ImageRef;
import dev.graft.oci.Manifest;
import dev.graft.oci.Platform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Which base tree a base reference resolved to last time, per platform: its tree-cache key and
 * layer digests. A rebuild places its local directories onto that tree and starts writing their
 * layers while the base is still being resolved; the real base's tree key then decides whether
 * that work is used (same key: the same tree, so the same entries) or dropped. Only a guess: it
 * never decides what goes into an image. One small cache file per reference and platform
 * ({@link CacheFile}: written atomically; unreadable means nothing is remembered).
 */
final class PreviousBaseTree {
  private static final String FORMAT = "graft-last-base-v1";
  private static final int MAX_LAYERS = 100_000;

  /** The remembered tree: its {@link FileTreeCache#key} and its layers' digests, lowest first. */
  record Recalled(String treeKey, List<String> layerDigests) {}

  private final Path dir;

  PreviousBaseTree(Path cacheDir) {
    this.dir = cacheDir.resolve("last-base");
  }

  Optional<Recalled> recall(ImageRef ref, Platform platform) {
    return CacheFile.read(file(ref, platform), FORMAT, in -> {
      String treeKey = CacheFile.readString(in);
      int n = CacheFile.readCount(in, MAX_LAYERS);
      List<String> layers = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        layers.add(CacheFile.readString(in));
      }
      return new Recalled(treeKey, List.copyOf(layers));
    });
  }

  /** Remembers the base {@code ref} resolved to for {@code platform}; a failure is ignored. */
  void remember(ImageRef ref, Platform platform, Manifest manifest, List<Digest> diffIds) {
    Recalled now = new Recalled(FileTreeCache.key(manifest, diffIds),
        manifest.layers().stream().map(Descriptor::digest).map(Digest::toString).toList());
    if (recall(ref, platform).filter(now::equals).isPresent()) {
      return;
    }
    try {
      CacheFile.write(dir, file(ref, platform).getFileName().toString(), FORMAT, out -> {
        CacheFile.writeString(out, now.treeKey());
        out.writeInt(now.layerDigests().size());
        for (String d : now.layerDigests()) {
          CacheFile.writeString(out, d);
        }
      });
    } catch (IOException | RuntimeException e) {
      // a guess only: the next rebuild places its files after resolving the base
    }
  }

  private Path file(ImageRef ref, Platform platform) {
    MessageDigest md = Digest.newSha256();
    md.update((ref + "\n" + platform).getBytes(StandardCharsets.UTF_8));
    return dir.resolve(HexFormat.of().formatHex(md.digest()));
  }

  /** Whether {@code recalled} is the tree of this image (the key covers its layers and diff IDs). */
  static boolean sameTree(Optional<Recalled> recalled, Manifest manifest, List<Digest> diffIds) {
    return recalled.isPresent() && recalled.get().treeKey().equals(FileTreeCache.key(manifest, diffIds));
  }
}
