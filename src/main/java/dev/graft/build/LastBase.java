package dev.graft.build;

import dev.graft.fs.FileTreeCache;
import dev.graft.oci.Descriptor;
import dev.graft.oci.Digest;
import dev.graft.oci.ImageRef;
import dev.graft.oci.Manifest;
import dev.graft.oci.Platform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Which base tree a base reference resolved to last time, per platform: its tree-cache key and
 * layer digests. A rebuild places its local directories onto that tree and starts writing their
 * layers while the base is still being resolved; the real base's tree key then decides whether
 * that work is used (same key: the same tree, so the same entries) or dropped. Only a guess: it
 * never decides what goes into an image. One small file per reference and platform, replaced
 * atomically; unreadable means nothing is remembered.
 */
final class LastBase {
  private static final String FORMAT = "graft-last-base-v1";

  /** The remembered tree: its {@link FileTreeCache#key} and its layers' digests, lowest first. */
  record Recalled(String treeKey, List<String> layerDigests) {}

  private final Path dir;

  LastBase(Path cacheDir) {
    this.dir = cacheDir.resolve("last-base");
  }

  Optional<Recalled> recall(ImageRef ref, Platform platform) {
    try {
      List<String> lines = Files.readAllLines(file(ref, platform), StandardCharsets.UTF_8);
      if (lines.size() < 2 || !lines.get(0).equals(FORMAT) || !lines.get(1).matches("[0-9a-f]{64}")) {
        return Optional.empty();
      }
      List<String> layers = lines.subList(2, lines.size());
      if (!layers.stream().allMatch(l -> l.matches("sha(256|512):[0-9a-f]+"))) {
        return Optional.empty();
      }
      return Optional.of(new Recalled(lines.get(1), List.copyOf(layers)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Remembers the base {@code ref} resolved to for {@code platform}; a failure is ignored. */
  void remember(ImageRef ref, Platform platform, Manifest manifest, List<Digest> diffIds) {
    Recalled now = new Recalled(FileTreeCache.key(manifest, diffIds),
        manifest.layers().stream().map(Descriptor::digest).map(Digest::toString).toList());
    if (recall(ref, platform).filter(now::equals).isPresent()) {
      return;
    }
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".last-base", ".part");
      try {
        StringBuilder sb = new StringBuilder(FORMAT).append('\n').append(now.treeKey()).append('\n');
        now.layerDigests().forEach(d -> sb.append(d).append('\n'));
        Files.writeString(tmp, sb, StandardCharsets.UTF_8);
        Files.move(tmp, file(ref, platform), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException | RuntimeException e) {
      // a guess only: the next rebuild places its files after resolving the base
    }
  }

  private Path file(ImageRef ref, Platform platform) {
    MessageDigest md = Digest.newSha256();
    md.update((ref + "\n" + platform).getBytes(StandardCharsets.UTF_8));
    return dir.resolve(HexFormat.of().formatHex(md.digest()));
  }

  static boolean sameTree(Optional<Recalled> recalled, Manifest manifest, List<Digest> diffIds) {
    return recalled.isPresent() && recalled.get().treeKey().equals(FileTreeCache.key(manifest, diffIds))
        && Arrays.equals(recalled.get().layerDigests().toArray(),
            manifest.layers().stream().map(d -> d.digest().toString()).toArray());
  }
}
