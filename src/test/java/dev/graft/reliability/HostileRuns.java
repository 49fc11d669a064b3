package dev.graft.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.oci.Platform;
import dev.graft.testing.AlpineImages;
import dev.graft.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * graft's commands run in-process on one image in each role graft gives an image: listed,
 * extracted, verified, copied, built on as the base, and selected from as the builder.
 */
final class HostileRuns {
  private HostileRuns() {}

  static Cli ls(String ref, String path) {
    return Cli.run("ls", "-R", ref, path);
  }

  static Cli extract(String ref, String path, Path to) {
    return Cli.run("extract", ref, path, "--to", to.toString());
  }

  static Cli verify(String ref) {
    return Cli.run("verify", ref);
  }

  static Cli copy(String ref, Path layout) {
    return Cli.run("copy", ref, "oci:" + layout + ":t");
  }

  /** A build of one local file (/srv/a.txt) on {@code base}, written to {@code work/out}. */
  static Cli buildOn(String base, Path work, String... flags) throws IOException {
    Files.createDirectories(work.resolve("site"));
    Files.writeString(work.resolve("site/a.txt"), "a\n");
    Files.writeString(work.resolve("graft.yaml"), """
        base: %s
        platforms: [linux/amd64]
        layers:
          - { name: site, from: ./site, to: /srv }
        """.formatted(base));
    return build(work, flags);
  }

  /**
   * A build on Alpine 3.16 of one layer taken from {@code builder}: {@code layer} is the rest of the
   * layer's mapping (e.g. {@code "paths: [/app], closure: off"}), written to {@code work/out}.
   */
  static Cli buildFrom(String builder, String layer, Path work, String... flags) throws IOException {
    String base = AlpineImages.singlePlatformLayout(work.resolve("alpine"), "3.16", Platform.LINUX_AMD64).ref();
    Files.createDirectories(work);
    Files.writeString(work.resolve("graft.yaml"), """
        base: %s
        builder: %s
        platforms: [linux/amd64]
        layers:
          - { name: app, from: builder, %s }
        """.formatted(base, builder, layer));
    return build(work, flags);
  }

  private static Cli build(Path work, String... flags) {
    List<String> args = new ArrayList<>(List.of("build", "-f", work.resolve("graft.yaml").toString(),
        "--to", "oci:" + work.resolve("out") + ":t", "--cache-dir", work.resolve("cache").toString(), "-q"));
    args.addAll(List.of(flags));
    return Cli.run(args.toArray(String[]::new));
  }

  /**
   * Asserts that {@code copied} (a layout graft's copy wrote) holds the manifest of {@code original}
   * byte for byte, as skopeo reads both: the same manifest names the same config and layer digests,
   * each of which graft checked on the way.
   */
  static void assertCopiedByteForByte(String original, Path copied) {
    String theirs = Tools.runOk(Duration.ofMinutes(1), "skopeo", "inspect", "--raw",
        original).stdout();
    String ours = Tools.runOk(Duration.ofMinutes(1), "skopeo", "inspect", "--raw",
        "oci:" + copied + ":t").stdout();
    assertThat(ours).as("manifest of the copy of " + original).isEqualTo(theirs)
        .contains("\"layers\"");
  }

  /** Every path below {@code dir}, relative and sorted; empty when it does not exist. */
  static List<String> listing(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.map(p -> dir.relativize(p).toString()).sorted().toList();
    }
  }
}
