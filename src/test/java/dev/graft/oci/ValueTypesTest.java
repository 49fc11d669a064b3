package dev.graft.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Digest, Platform, Manifest, Index and ImageConfig: parsing, validation and canonical JSON. */
class ValueTypesTest {
  private static final String A = "sha256:" + "a".repeat(64);
  private static final String B = "sha256:" + "b".repeat(64);

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void digestAcceptsOnlyWellFormedSha256AndSha512() {
    assertThat(Digest.parse(A).hex()).hasSize(64);
    assertThat(Digest.parse("sha512:" + "0".repeat(128)).algorithm()).isEqualTo("sha512");
    assertThat(Digest.sha256(new byte[0])).hasToString("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThatThrownBy(() -> Digest.parse("sha256:ABC")).hasMessageContaining("malformed sha256 digest");
    assertThatThrownBy(() -> Digest.parse("sha256:" + "../".repeat(21) + "a")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Digest.parse("md5:" + "a".repeat(32))).hasMessageContaining("unsupported digest algorithm");
    assertThatThrownBy(() -> Digest.parse("nocolon")).hasMessageContaining("expected sha256:");
  }

  @Test
  void platformNormalisesLikeContainerd() {
    assertThat(Platform.parse("linux/arm64")).isEqualTo(Platform.LINUX_ARM64);
    assertThat(Platform.parse("linux/aarch64")).isEqualTo(Platform.LINUX_ARM64);
    assertThat(Platform.parse("x86_64")).isEqualTo(Platform.LINUX_AMD64);
    assertThat(Platform.parse("linux/arm")).isEqualTo(Platform.LINUX_ARM_V7);
    assertThat(new Platform("linux", "arm64", null).matches(Platform.LINUX_ARM64)).isTrue();
    assertThat(Platform.LINUX_ARM_V7.matches(new Platform("linux", "arm", "v6"))).isFalse();
    assertThat(Platform.LINUX_ARM64).hasToString("linux/arm64/v8");
    assertThatThrownBy(() -> Platform.parse("linux/arm/v7/x")).hasMessageContaining("expected os/arch[/variant]");
  }

  @Test
  void manifestParsesAndWritesCanonically() {
    String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
        + "\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + A + "\",\"size\":10},"
        + "\"layers\":[{\"mediaType\":\"" + MediaTypes.OCI_LAYER_GZIP + "\",\"digest\":\"" + B + "\",\"size\":20,"
        + "\"annotations\":{\"z\":\"1\",\"a\":\"2\"}}]}";
    Manifest m = Manifest.parse(new Blob(MediaTypes.OCI_MANIFEST, utf8(json)));
    assertThat(m.config().digest()).isEqualTo(Digest.parse(A));
    assertThat(m.layers()).singleElement().extracting(Descriptor::size).isEqualTo(20L);
    // Canonical output sorts annotation keys; parsing it again gives the same value.
    String written = new String(m.toBlob().bytes(), StandardCharsets.UTF_8);
    assertThat(written).isEqualTo(json.replace("{\"z\":\"1\",\"a\":\"2\"}", "{\"a\":\"2\",\"z\":\"1\"}"));
    assertThat(Manifest.parse(m.toBlob())).isEqualTo(m);
  }

  @Test
  void manifestReadsDockerV22AndKeepsItsMediaType() {
    String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\","
        + "\"config\":{\"mediaType\":\"" + MediaTypes.DOCKER_CONFIG + "\",\"digest\":\"" + A + "\",\"size\":1},"
        + "\"layers\":[{\"mediaType\":\"" + MediaTypes.DOCKER_LAYER_GZIP + "\",\"digest\":\"" + B + "\",\"size\":2}]}";
    Manifest m = Manifest.parse(new Blob(MediaTypes.DOCKER_MANIFEST, utf8(json)));
    assertThat(m.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
    assertThat(m.toBlob().bytes()).isEqualTo(utf8(json));
  }

  @Test
  void manifestRefusesWhatItCannotRead() {
    assertThatThrownBy(() -> Manifest.parse(new Blob(MediaTypes.OCI_MANIFEST,
        utf8("{\"schemaVersion\":1,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\"}"))))
        .hasMessageContaining("schemaVersion 1, expected 2");
    assertThatThrownBy(() -> Manifest.parse(new Blob("application/octet-stream", utf8("{\"schemaVersion\":2}"))))
        .hasMessageContaining("unsupported media type 'application/octet-stream'");
    assertThatThrownBy(() -> Manifest.parse(new Blob(MediaTypes.OCI_MANIFEST, utf8("[1,2]"))))
        .hasMessageContaining("is not a JSON object");
    assertThatThrownBy(() -> Manifest.parse(new Blob(MediaTypes.OCI_MANIFEST, utf8("{\"schemaVersion\":2,"
        + "\"config\":{\"mediaType\":\"x\",\"digest\":\"" + A + "\",\"size\":-1},\"layers\":[]}"))))
        .hasMessageContaining("has no valid size");
  }

  @Test
  void indexKeepsPlatformsAndAnnotations() {
    Descriptor d = new Descriptor(MediaTypes.OCI_MANIFEST, Digest.parse(A), 5, Platform.LINUX_ARM64, Map.of("k", "v"));
    Index index = new Index(MediaTypes.OCI_INDEX, List.of(d), Map.of());
    Index back = Index.parse(index.toBlob());
    assertThat(back).isEqualTo(index);
    assertThat(new String(index.toBlob().bytes(), StandardCharsets.UTF_8)).isEqualTo(
        "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[{\"mediaType\":\""
        + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + A + "\",\"size\":5,\"platform\":{\"architecture\":\"arm64\","
        + "\"os\":\"linux\",\"variant\":\"v8\"},\"annotations\":{\"k\":\"v\"}}]}");
    assertThatThrownBy(() -> Index.parse(new Blob(MediaTypes.OCI_INDEX, utf8("{\"schemaVersion\":2}"))))
        .hasMessageContaining("'manifests' is missing");
  }

  @Test
  void imageConfigReadsPlatformEnvAndDiffIds() {
    String json = "{\"architecture\":\"arm\",\"os\":\"linux\",\"variant\":\"v7\",\"config\":{\"Env\":[\"PATH=/bin\","
        + "\"A=b=c\"],\"Entrypoint\":[\"/init\"],\"Labels\":{\"x\":\"y\"}},\"rootfs\":{\"type\":\"layers\","
        + "\"diff_ids\":[\"" + A + "\"]}}";
    ImageConfig c = ImageConfig.parse(new Blob(MediaTypes.OCI_CONFIG, utf8(json)));
    assertThat(c.platform()).isEqualTo(Platform.LINUX_ARM_V7);
    assertThat(c.envValue("A")).isEqualTo("b=c");
    assertThat(c.entrypoint()).containsExactly("/init");
    assertThat(c.cmd()).isNull();
    assertThat(c.labels()).containsEntry("x", "y");
    assertThat(c.diffIds()).containsExactly(Digest.parse(A));
    assertThatThrownBy(() -> ImageConfig.parse(new Blob(MediaTypes.OCI_CONFIG, utf8("{\"os\":\"linux\"}"))))
        .hasMessageContaining("'rootfs.diff_ids' is missing");
  }

  @Test
  void jsonRefusesDuplicateKeys() {
    assertThatThrownBy(() -> Json.parse(utf8("{\"a\":1,\"a\":2}"), "thing")).hasMessageContaining("thing is not valid JSON");
  }

  @Test
  void verifyingStreamFailsOnAlteredOrOverlongContent() throws Exception {
    byte[] content = utf8("hello");
    Descriptor right = new Descriptor("x", Digest.sha256(content), content.length);
    try (InputStream in = new VerifyingInputStream(new ByteArrayInputStream(content), right, "here")) {
      assertThat(in.readAllBytes()).isEqualTo(content);
    }
    Descriptor wrongDigest = new Descriptor("x", Digest.sha256(utf8("hellO")), content.length);
    assertThatThrownBy(() -> new VerifyingInputStream(new ByteArrayInputStream(content), wrongDigest, "here").readAllBytes())
        .isInstanceOf(DigestMismatchException.class).hasMessageContaining("here: blob content does not match its digest");
    Descriptor shorter = new Descriptor("x", Digest.sha256(content), 3);
    assertThatThrownBy(() -> new VerifyingInputStream(new ByteArrayInputStream(content), shorter, "here").readAllBytes())
        .isInstanceOf(DigestMismatchException.class).hasMessageContaining("longer than its declared 3 bytes");
  }
}
