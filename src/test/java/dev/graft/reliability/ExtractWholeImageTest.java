package dev.graft.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.oci.Platform;
import dev.graft.testing.AlpineImages;
import dev.graft.testing.UmociTrees;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code graft extract IMG / --to DIR} unpacks the whole image into DIR, as umoci unpacks it. */
class ExtractWholeImageTest {
  @TempDir Path tmp;

  /** umoci's description without owners and modes (extract keeps neither owners nor special bits). */
  private static Map<String, String> typesTargetsAndHashes(Map<String, String> described) {
    Map<String, String> out = new TreeMap<>();
    described.forEach((path, d) -> {
      String[] f = d.split(" ", -1); // type mode uid:gid size target hash
      out.put(path, f[0] + " " + f[3] + " " + f[4] + " " + f[5]);
    });
    return out;
  }

  @Test
  void extractsTheWholeImageLikeUmoci() throws Exception {
    AlpineImages.Fixture alpine = AlpineImages.singlePlatformLayout(tmp.resolve("a"), "3.16", Platform.LINUX_AMD64);
    Map<String, String> umoci = UmociTrees.unpack(alpine.dir(), alpine.tag(), tmp.resolve("bundle"));

    Cli r = Cli.run("extract", alpine.ref(), "/", "--to", tmp.resolve("out").toString());

    assertThat(r.exitCode()).as(r.err()).isZero();
    Map<String, String> extracted = UmociTrees.describeRootfs(tmp.resolve("out"));
    assertThat(typesTargetsAndHashes(extracted)).isEqualTo(typesTargetsAndHashes(umoci)).hasSizeGreaterThan(400);
  }

  @Test
  void aGlobOfTheTopLevelExtractsItToo() throws Exception {
    AlpineImages.Fixture alpine = AlpineImages.singlePlatformLayout(tmp.resolve("a"), "3.16", Platform.LINUX_AMD64);

    Cli r = Cli.run("extract", alpine.ref(), "/*", "--to", tmp.resolve("out").toString());

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(tmp.resolve("out/bin/busybox")).isRegularFile();
    assertThat(tmp.resolve("out/etc/alpine-release")).hasContent("3.16.9");
  }
}
