package dev.graft.assemble;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.oci.ImageRef;
import dev.graft.oci.ImageSource;
import dev.graft.oci.Platform;
import dev.graft.testing.AlpineImages;
import dev.graft.testing.AlpineImages.Fixture;
import dev.graft.testing.RegistryExtension;
import dev.graft.testing.Tools;
import dev.graft.transfer.Images;
import dev.graft.transfer.TransferOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resolving a registry image again takes one request (its tag) when its platform manifest and
 * config are kept by digest; a kept copy that no longer has its digest is fetched again. Counted in
 * a real registry's access log; the image is pushed there by skopeo.
 */
class ManifestMemoTest {
  @RegisterExtension
  static final RegistryExtension registry = RegistryExtension.plain();

  @Test
  void aRebuildResolvesAnUnchangedRegistryImageByItsTagAlone(@TempDir Path tmp) throws IOException {
    Fixture alpine = AlpineImages.layout(tmp.resolve("alpine"), "3.18");
    String ref = registry.get().hostPort() + "/memo/base:1";
    Tools.require("skopeo");
    List<String> copy = List.of("skopeo", "copy", "--all", "--dest-tls-verify=false", alpine.ref(), "docker://" + ref);
    Tools.run(Duration.ofMinutes(2), null, copy).assertSuccess(copy);
    ManifestMemo memo = ManifestMemo.in(tmp.resolve("cache"));

    ResolvedImage first = resolve(ref, memo);
    int gets = gets();
    ResolvedImage second = resolve(ref, memo);

    assertThat(gets()).as("only the tag is asked for").isEqualTo(gets + 1);
    assertThat(second.manifestBlob()).isEqualTo(first.manifestBlob())
        .isEqualTo(alpine.manifests().get(Platform.LINUX_AMD64));
    assertThat(second.configBlob()).isEqualTo(first.configBlob());
    assertThat(second.config().diffIds()).isEqualTo(alpine.config(Platform.LINUX_AMD64).diffIds());

    // kept copies whose bytes changed are not used: fetched again, the result unchanged
    List<Path> kept;
    try (Stream<Path> files = Files.list(tmp.resolve("cache").resolve("manifests"))) {
      kept = files.toList();
    }
    assertThat(kept).hasSize(2);
    for (Path f : kept) {
      byte[] b = Files.readAllBytes(f);
      b[b.length - 2] ^= 1; // inside the JSON, so only its digest tells
      Files.write(f, b);
    }
    ResolvedImage third = resolve(ref, memo);
    assertThat(gets()).isEqualTo(gets + 1 + 3);
    assertThat(third.manifestBlob()).isEqualTo(first.manifestBlob());
    assertThat(third.configBlob()).isEqualTo(first.configBlob());
    resolve(ref, memo);
    assertThat(gets()).as("kept again").isEqualTo(gets + 1 + 3 + 1);

    // a local layout is read where it is: nothing is kept for it
    ManifestMemo other = ManifestMemo.in(tmp.resolve("other"));
    try (ImageSource layout = Images.open(ImageRef.parse(alpine.ref()), TransferOptions.defaults())) {
      assertThat(new ResolveImage(layout, Platform.LINUX_AMD64, other).run().manifestBlob())
          .isEqualTo(first.manifestBlob());
    }
    assertThat(tmp.resolve("other")).doesNotExist();
  }

  private static ResolvedImage resolve(String ref, ManifestMemo memo) throws IOException {
    try (ImageSource source = Images.open(ImageRef.parse(ref), TransferOptions.defaults())) {
      return new ResolveImage(source, Platform.LINUX_AMD64, memo).run();
    }
  }

  private static int gets() throws IOException {
    return registry.get().logLines("\"GET /v2/memo/base/").size();
  }
}
