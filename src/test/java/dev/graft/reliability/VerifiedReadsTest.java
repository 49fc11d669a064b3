package dev.graft.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.testing.HostileImages;
import dev.graft.testing.Tools;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images whose bytes are not what their manifest or config promise (testdata/hostile: a byte
 * changed after the tar's end marker, in a gzip header, in a file's content; a config whose diff_id
 * describes another tar) are refused by every command before anything is shown or written:
 * every reader gets layer bytes only through {@code LayerBlob.read}, which reads each blob to its
 * last byte and checks size, digest and diff_id before its result is used.
 */
class VerifiedReadsTest {
  @TempDir Path tmp;

  private static void assertRefused(String image, Cli r) {
    assertThat(r.exitCode()).as(image + ": " + r.err()).isEqualTo(1);
    assertThat(r.error()).as(image).containsAnyOf("does not match its digest", "diff_ids say");
  }

  @Test
  void lsRefusesEveryDamagedImageAndListsNothing() {
    for (String image : HostileImages.DAMAGED) {
      Cli r = HostileRuns.ls(HostileImages.ref(image), "/");
      assertRefused(image, r);
      assertThat(r.out()).as(image).isEmpty();
    }
  }

  @Test
  void extractRefusesEveryDamagedImageAndWritesNothing() throws Exception {
    for (String image : HostileImages.DAMAGED) {
      Path out = tmp.resolve(image);
      assertRefused(image, HostileRuns.extract(HostileImages.ref(image), "/", out));
      assertThat(HostileRuns.listing(out)).as(image).isEmpty();
    }
  }

  @Test
  void verifyRefusesEveryDamagedImage() {
    for (String image : HostileImages.DAMAGED) {
      assertRefused(image, HostileRuns.verify(HostileImages.ref(image)));
    }
  }

  @Test
  void buildRefusesEveryDamagedImageAsBaseAndWritesNothing() throws Exception {
    for (String image : HostileImages.DAMAGED) {
      Path work = tmp.resolve("base-" + image);
      assertRefused(image, HostileRuns.buildOn(HostileImages.ref(image), work));
      assertThat(work.resolve("out")).as(image).doesNotExist();
    }
  }

  @Test
  void buildRefusesEveryDamagedImageAsBuilderAndWritesNothing() throws Exception {
    for (String image : HostileImages.DAMAGED) {
      Path work = tmp.resolve("builder-" + image);
      assertRefused(image, HostileRuns.buildFrom(HostileImages.ref(image), "paths: [/app], closure: off", work));
      assertThat(work.resolve("out")).as(image).doesNotExist();
    }
  }

  /**
   * copy moves blobs without unpacking them, as skopeo does: a blob that fails its digest is
   * refused (skopeo refuses it too), a config whose diff_id lies is copied byte for byte (skopeo
   * copies it too) and refused wherever its layers are read.
   */
  @Test
  void copyRefusesBlobsThatFailTheirDigestAsSkopeoDoes() throws Exception {
    for (String image : HostileImages.DAMAGED) {
      Path out = tmp.resolve("copy-" + image);
      Cli r = HostileRuns.copy(HostileImages.ref(image), out);
      Tools.Result skopeo = Tools.run(Duration.ofMinutes(1), "skopeo", "copy", "-q", HostileImages.ref(image),
          "oci:" + tmp.resolve("skopeo-" + image) + ":t");
      if (image.equals("lying-diff-id")) {
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(skopeo.exitCode()).as(skopeo.stderr()).isZero();
        assertRefused(image, HostileRuns.ls("oci:" + out + ":t", "/"));
      } else {
        assertRefused(image, r);
        assertThat(skopeo.exitCode()).as("skopeo refuses %s too", image).isNotZero();
        assertThat(out).as(image).doesNotExist();
      }
    }
  }
}
