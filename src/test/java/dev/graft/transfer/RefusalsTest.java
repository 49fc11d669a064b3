package dev.graft.transfer;

import static dev.graft.transfer.LocalRoundTripTest.copy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.oci.Blob;
import dev.graft.oci.Descriptor;
import dev.graft.oci.DigestMismatchException;
import dev.graft.oci.Index;
import dev.graft.oci.Manifest;
import dev.graft.oci.MediaTypes;
import dev.graft.oci.OciFormatException;
import dev.graft.oci.Platform;
import dev.graft.testing.AlpineImages;
import dev.graft.testing.AlpineImages.Fixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input is refused with a message naming the image and the fix, and the destination is left as it was. */
class RefusalsTest {

  @Test
  void refusesAMissingTagListingTheTagsThereAre(@TempDir Path tmp) {
    Fixture f = AlpineImages.singlePlatformLayout(tmp.resolve("src"), "3.15", Platform.LINUX_AMD64);
    AlpineImages.layout(tmp.resolve("src"), "3.16", "other", List.of(Platform.LINUX_ARM64));
    assertThatThrownBy(() -> copy("oci:" + f.dir() + ":nope", "oci:" + tmp.resolve("out"), Optional.empty()))
        .isInstanceOf(OciFormatException.class)
        .hasMessage("oci:" + f.dir() + ":nope: no image tagged 'nope' (available tags: 3.15, other)");
    assertThat(tmp.resolve("out")).doesNotExist();
  }

  @Test
  void refusesAnUntaggedReferenceToALayoutOfSeveralImages(@TempDir Path tmp) {
    Fixture f = AlpineImages.singlePlatformLayout(tmp.resolve("src"), "3.15", Platform.LINUX_AMD64);
    AlpineImages.layout(tmp.resolve("src"), "3.16", "other", List.of(Platform.LINUX_ARM64));
    assertThatThrownBy(() -> copy("oci:" + f.dir(), "oci:" + tmp.resolve("out"), Optional.empty()))
        .hasMessageContaining("holds 2 images; name one with :TAG (available tags: 3.15, other)");
  }

  @Test
  void refusesACorruptedLayerAndLeavesNoNewLayoutBehind(@TempDir Path tmp) throws IOException {
    Fixture f = corruptedAlpine(tmp.resolve("src"));
    Path out = tmp.resolve("out");
    assertThatThrownBy(() -> copy(f.ref(), "oci:" + out + ":x", Optional.empty()))
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining(f.ref())
        .hasMessageContaining("does not match its digest");
    assertThat(out).doesNotExist();
    assertThat(tmp).isDirectoryNotContaining(p -> p.getFileName().toString().startsWith(".out"));
  }

  @Test
  void refusesACorruptedLayerAndLeavesNoArchiveBehind(@TempDir Path tmp) throws IOException {
    Fixture f = corruptedAlpine(tmp.resolve("src"));
    Path dest = tmp.resolve("dest");
    Files.createDirectories(dest);
    assertThatThrownBy(() -> copy(f.ref(), "oci-archive:" + dest.resolve("a.tar"), Optional.empty()))
        .isInstanceOf(DigestMismatchException.class);
    assertThatThrownBy(() -> copy(f.ref(), "docker-archive:" + dest.resolve("d.tar"), Optional.of(Platform.LINUX_AMD64)))
        .isInstanceOf(DigestMismatchException.class);
    assertThat(dest).isEmptyDirectory();
  }

  @Test
  void refusesACorruptedLayerLeavingAnEmptyDestinationDirectoryEmpty(@TempDir Path tmp) throws IOException {
    Fixture f = corruptedAlpine(tmp.resolve("src"));
    Path out = Files.createDirectories(tmp.resolve("out"));
    assertThatThrownBy(() -> copy(f.ref(), "oci:" + out + ":x", Optional.empty()))
        .isInstanceOf(DigestMismatchException.class);
    assertThat(out).isEmptyDirectory();
  }

  @Test
  void refusesACorruptedLayerWithoutChangingAnExistingLayoutsIndex(@TempDir Path tmp) throws IOException {
    Fixture good = AlpineImages.singlePlatformLayout(tmp.resolve("out"), "3.15", Platform.LINUX_AMD64);
    byte[] indexBefore = Files.readAllBytes(good.dir().resolve("index.json"));
    Fixture bad = corruptedAlpine(tmp.resolve("src"));
    assertThatThrownBy(() -> copy(bad.ref(), "oci:" + good.dir() + ":new", Optional.empty()))
        .isInstanceOf(DigestMismatchException.class);
    assertThat(good.dir().resolve("index.json")).hasBinaryContent(indexBefore);
    Manifest m = bad.manifest(Platform.LINUX_AMD64);
    assertThat(good.blob(m.layers().get(0).digest())).doesNotExist();
  }

  @Test
  void refusesATruncatedBlob(@TempDir Path tmp) throws IOException {
    Fixture f = AlpineImages.singlePlatformLayout(tmp.resolve("src"), "3.15", Platform.LINUX_AMD64);
    Path layer = f.blob(f.manifest(Platform.LINUX_AMD64).layers().get(0).digest());
    byte[] bytes = Files.readAllBytes(layer);
    Files.write(layer, java.util.Arrays.copyOf(bytes, bytes.length - 10));
    assertThatThrownBy(() -> copy(f.ref(), "oci:" + tmp.resolve("out"), Optional.empty()))
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining("truncated or altered");
    assertThat(tmp.resolve("out")).doesNotExist();
  }

  @Test
  void refusesAManifestOfAnUnknownMediaType(@TempDir Path tmp) throws IOException {
    Path src = tmp.resolve("src");
    Fixture f = AlpineImages.singlePlatformLayout(src, "3.15", Platform.LINUX_AMD64);
    Descriptor odd = new Descriptor("application/vnd.example.thing.v1+json", f.root().digest(), f.root().size());
    Files.write(src.resolve("index.json"), new Index(MediaTypes.OCI_INDEX,
        List.of(odd.withAnnotations(Map.of("org.opencontainers.image.ref.name", "odd"))), Map.of()).toBlob().bytes());
    assertThatThrownBy(() -> copy("oci:" + src + ":odd", "oci:" + tmp.resolve("out"), Optional.empty()))
        .isInstanceOf(OciFormatException.class)
        .hasMessageContaining("application/vnd.example.thing.v1+json")
        .hasMessageContaining("neither a manifest nor an index");
    assertThat(tmp.resolve("out")).doesNotExist();
  }

  @Test
  void refusesAManifestWhoseBodyDeclaresAnUnknownMediaType(@TempDir Path tmp) throws IOException {
    Path src = tmp.resolve("src");
    AlpineImages.singlePlatformLayout(src, "3.15", Platform.LINUX_AMD64);
    byte[] body = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.example.v9+json\",\"config\":{},\"layers\":[]}"
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Blob blob = new Blob(MediaTypes.OCI_MANIFEST, body);
    AlpineImages.writeBlob(src, body);
    AlpineImages.writeIndexJson(src, blob, "odd");
    assertThatThrownBy(() -> copy("oci:" + src + ":odd", "oci:" + tmp.resolve("out"), Optional.empty()))
        .isInstanceOf(OciFormatException.class)
        .hasMessageContaining("application/vnd.example.v9+json");
    assertThat(tmp.resolve("out")).doesNotExist();
  }

  @Test
  void refusesAPlatformTheIndexDoesNotHaveNamingThoseItHas(@TempDir Path tmp) {
    Fixture f = AlpineImages.layout(tmp.resolve("src"), "3.16", "t", List.of(Platform.LINUX_AMD64, Platform.LINUX_ARM64));
    assertThatThrownBy(() -> copy(f.ref(), "oci:" + tmp.resolve("out"), Optional.of(Platform.parse("linux/s390x"))))
        .hasMessageContaining("has no linux/s390x image (platforms: linux/amd64, linux/arm64/v8)");
    assertThat(tmp.resolve("out")).doesNotExist();
  }

  @Test
  void refusesABlobSymlinkedOutsideTheLayout(@TempDir Path tmp) throws IOException {
    Fixture f = AlpineImages.singlePlatformLayout(tmp.resolve("src"), "3.15", Platform.LINUX_AMD64);
    Path config = f.blob(f.manifest(Platform.LINUX_AMD64).config().digest());
    Path outside = tmp.resolve("outside.json");
    Files.move(config, outside);
    Files.createSymbolicLink(config, outside);
    assertThatThrownBy(() -> copy(f.ref(), "oci:" + tmp.resolve("out"), Optional.empty()))
        .isInstanceOf(OciFormatException.class)
        .hasMessageContaining("not a regular file inside the layout");
  }

  @Test
  void refusesADestinationDirectoryThatIsNotALayout(@TempDir Path tmp) throws IOException {
    Fixture f = AlpineImages.singlePlatformLayout(tmp.resolve("src"), "3.15", Platform.LINUX_AMD64);
    Path home = Files.createDirectories(tmp.resolve("home"));
    Files.writeString(home.resolve("notes.txt"), "mine");
    assertThatThrownBy(() -> copy(f.ref(), "oci:" + home + ":x", Optional.empty()))
        .isInstanceOf(OciFormatException.class)
        .hasMessageContaining("exists and is not an OCI image layout; name a new or empty directory");
    try (var files = Files.list(home)) {
      assertThat(files).containsExactly(home.resolve("notes.txt"));
    }
  }

  /** A 3.18 amd64 layout whose layer has one byte changed (same size, so only the digest tells). */
  private static Fixture corruptedAlpine(Path dir) throws IOException {
    Fixture f = AlpineImages.layout(dir, "3.18", "x", List.of(Platform.LINUX_AMD64, Platform.LINUX_ARM64));
    Path layer = f.blob(f.manifest(Platform.LINUX_AMD64).layers().get(0).digest());
    byte[] bytes = Files.readAllBytes(layer);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(layer, bytes);
    return f;
  }
}
