package dev.graft.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.oci.Blob;
import dev.graft.oci.BlobOutcome;
import dev.graft.oci.Descriptor;
import dev.graft.oci.ImageRef;
import dev.graft.oci.ImageSink;
import dev.graft.oci.ImageSource;
import dev.graft.oci.Index;
import dev.graft.oci.Manifest;
import dev.graft.oci.MediaTypes;
import dev.graft.oci.Platform;
import dev.graft.testing.AlpineImages;
import dev.graft.testing.AlpineImages.Fixture;
import dev.graft.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Copies real Alpine images between OCI layouts and archives; skopeo and umoci judge the output. */
class LocalRoundTripTest {
  private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(2);

  @TempDir
  static Path shared;

  static Fixture alpine;

  @BeforeAll
  static void buildFixture() {
    alpine = AlpineImages.layout(shared.resolve("alpine"), "3.18");
  }

  static CopyResult copy(String src, String dst, Optional<Platform> platform) throws IOException {
    return copy(src, dst, platform, CopyListener.NONE);
  }

  static CopyResult copy(String src, String dst, Optional<Platform> platform, CopyListener listener)
      throws IOException {
    TransferOptions options = TransferOptions.defaults();
    try (ImageSource in = Images.open(ImageRef.parse(src), options);
        ImageSink out = Images.create(ImageRef.parse(dst), options)) {
      return new ImageCopier(options.concurrency(), listener).copy(in, out, platform);
    }
  }

  static Blob root(String ref) throws IOException {
    try (ImageSource in = Images.open(ImageRef.parse(ref), TransferOptions.defaults())) {
      return in.root();
    }
  }

  @Test
  void layoutToArchiveToLayoutKeepsEveryDigest(@TempDir Path tmp) throws IOException {
    Path archive = tmp.resolve("alpine.tar");
    CopyResult first = copy(alpine.ref(), "oci-archive:" + archive + ":3.18", Optional.empty());
    CopyResult second = copy("oci-archive:" + archive + ":3.18", "oci:" + tmp.resolve("back") + ":3.18", Optional.empty());

    assertThat(first.rootDigest()).isEqualTo(alpine.root().digest());
    assertThat(second.rootDigest()).isEqualTo(alpine.root().digest());
    assertThat(second.rootMediaType()).isEqualTo(MediaTypes.OCI_INDEX);
    assertThat(second.manifests()).extracting(PlatformManifest::platform).containsExactlyElementsOf(AlpineImages.PLATFORMS);
    for (PlatformManifest m : second.manifests()) {
      assertThat(m.digest()).isEqualTo(alpine.manifests().get(m.platform()).digest());
    }
    Blob back = root("oci:" + tmp.resolve("back") + ":3.18");
    assertThat(back.bytes()).isEqualTo(alpine.root().bytes());
    // Every blob arrives byte for byte.
    for (Platform p : AlpineImages.PLATFORMS) {
      Manifest m = alpine.manifest(p);
      for (Descriptor d : concat(m.config(), m.layers())) {
        assertThat(tmp.resolve("back/blobs/sha256/" + d.digest().hex())).hasSameBinaryContentAs(alpine.blob(d.digest()));
      }
    }
  }

  @Test
  void ociArchiveBytesAreReproducible(@TempDir Path tmp) throws IOException {
    copy(alpine.ref(), "oci-archive:" + tmp.resolve("a.tar") + ":x", Optional.empty());
    copy(alpine.ref(), "oci-archive:" + tmp.resolve("b.tar") + ":x", Optional.empty());
    assertThat(tmp.resolve("a.tar")).hasSameBinaryContentAs(tmp.resolve("b.tar"));
    String listing = Tools.runOk(TOOL_TIMEOUT, "tar", "-tvf", tmp.resolve("a.tar").toString()).stdout();
    assertThat(listing.lines().findFirst().orElseThrow()).startsWith("drwxr-xr-x 0/0").contains("1970-01-01").endsWith("blobs/");
    assertThat(listing).contains(" index.json").contains(" oci-layout");
  }

  @Test
  void skopeoReadsOurLayoutAndArchiveByteForByte(@TempDir Path tmp) throws IOException {
    Tools.require("skopeo");
    Path out = tmp.resolve("out");
    copy(alpine.ref(), "oci:" + out + ":edge", Optional.empty());
    copy(alpine.ref(), "oci-archive:" + tmp.resolve("a.tar") + ":edge", Optional.empty());
    String expected = new String(alpine.root().bytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(Tools.runOk(TOOL_TIMEOUT, "skopeo", "inspect", "--raw", "oci:" + out + ":edge").stdout()).isEqualTo(expected);
    assertThat(Tools.runOk(TOOL_TIMEOUT, "skopeo", "inspect", "--raw", "oci-archive:" + tmp.resolve("a.tar") + ":edge")
        .stdout()).isEqualTo(expected);
    // skopeo copies our output (reading and verifying every blob) into its own layout.
    Tools.runOk(TOOL_TIMEOUT, "skopeo", "copy", "--all", "oci:" + out + ":edge", "oci:" + tmp.resolve("skopeo") + ":edge");
    assertThat(root("oci:" + tmp.resolve("skopeo") + ":edge").digest()).isEqualTo(alpine.root().digest());
  }

  @Test
  void readsAnOciArchiveThatSkopeoWrote(@TempDir Path tmp) throws IOException {
    Tools.require("skopeo");
    Path tar = tmp.resolve("skopeo.tar");
    Tools.runOk(TOOL_TIMEOUT, "skopeo", "copy", "--all", alpine.ref(), "oci-archive:" + tar + ":3.18");
    CopyResult r = copy("oci-archive:" + tar + ":3.18", "oci:" + tmp.resolve("out") + ":3.18", Optional.empty());
    assertThat(r.rootDigest()).isEqualTo(alpine.root().digest());
    assertThat(r.blobsCopied()).isEqualTo(6);
  }

  @Test
  void umociUnpacksOurLayout(@TempDir Path tmp) throws IOException {
    Tools.require("umoci");
    Path out = tmp.resolve("out");
    copy(alpine.ref(), "oci:" + out + ":amd64", Optional.of(Platform.LINUX_AMD64));
    Path bundle = tmp.resolve("bundle");
    Tools.runOk(TOOL_TIMEOUT, "umoci", "unpack", "--image", out + ":amd64", bundle.toString());
    assertThat(bundle.resolve("rootfs/etc/alpine-release")).content().startsWith("3.18");
    assertThat(bundle.resolve("config.json")).exists();
    Tools.runOk(TOOL_TIMEOUT, "rm", "-rf", bundle.toString()); // its rootfs symlinks upset JUnit's cleanup
  }

  @Test
  void platformOptionCopiesThatPlatformsManifestAlone(@TempDir Path tmp) throws IOException {
    CopyResult r = copy(alpine.ref(), "oci:" + tmp.resolve("arm") + ":3.18", Optional.of(Platform.parse("linux/arm/v7")));
    Blob copied = root("oci:" + tmp.resolve("arm") + ":3.18");
    assertThat(copied.digest()).isEqualTo(alpine.manifests().get(Platform.LINUX_ARM_V7).digest());
    assertThat(copied.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
    assertThat(r.manifests()).containsExactly(new PlatformManifest(Platform.LINUX_ARM_V7, copied.digest()));
    // Only that platform's layer and config were copied.
    assertThat(r.blobsCopied()).isEqualTo(2);
    Manifest amd = alpine.manifest(Platform.LINUX_AMD64);
    assertThat(tmp.resolve("arm/blobs/sha256/" + amd.layers().get(0).digest().hex())).doesNotExist();
  }

  @Test
  void addsATagToAnExistingLayoutKeepingOtherTagsAndSkippingBlobsItHas(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("out");
    copy(alpine.ref(), "oci:" + out + ":all", Optional.empty());
    List<Descriptor> skipped = new CopyOnWriteArrayList<>();
    CopyResult again = copy(alpine.ref(), "oci:" + out + ":arm64", Optional.of(Platform.LINUX_ARM64), new CopyListener() {
      @Override
      public void blobDone(Descriptor blob, BlobOutcome outcome) {
        if (outcome == BlobOutcome.PRESENT) {
          skipped.add(blob);
        }
      }
    });
    assertThat(again.blobsCopied()).isZero();
    assertThat(again.blobsSkipped()).isEqualTo(2);
    assertThat(skipped).hasSize(2);
    Index index = Index.parse(new Blob(MediaTypes.OCI_INDEX, Files.readAllBytes(out.resolve("index.json"))));
    assertThat(index.manifests()).extracting(d -> d.annotations().get("org.opencontainers.image.ref.name"))
        .containsExactly("all", "arm64");
    assertThat(root("oci:" + out + ":all").digest()).isEqualTo(alpine.root().digest());
  }

  @Test
  void copiesEachSharedBlobOnce(@TempDir Path tmp) throws IOException {
    // Two tags of the same platforms in one index: the layers are shared.
    Path src = tmp.resolve("src");
    AlpineImages.layout(src, "3.16", "a", List.of(Platform.LINUX_AMD64, Platform.LINUX_ARM64));
    List<Descriptor> started = new CopyOnWriteArrayList<>();
    CopyListener listener = new CopyListener() {
      @Override
      public void blobStarted(Descriptor blob) {
        started.add(blob);
      }
    };
    CopyResult r = copy("oci:" + src + ":a", "oci:" + tmp.resolve("out") + ":a", Optional.empty(), listener);
    // 2 platforms × (config + layer), every one distinct, each started exactly once.
    assertThat(started).extracting(Descriptor::digest).doesNotHaveDuplicates().hasSize(4);
    assertThat(r.blobsCopied()).isEqualTo(4);
    assertThat(r.bytesCopied()).isEqualTo(started.stream().mapToLong(Descriptor::size).sum());
  }

  @Test
  void singlePlatformLayoutCopiesAsAManifest(@TempDir Path tmp) throws IOException {
    Fixture single = AlpineImages.singlePlatformLayout(tmp.resolve("single"), "3.15", Platform.LINUX_ARM64);
    CopyResult r = copy(single.ref(), "oci-archive:" + tmp.resolve("s.tar"), Optional.empty());
    assertThat(r.rootDigest()).isEqualTo(single.root().digest());
    assertThat(r.manifests()).containsExactly(new PlatformManifest(Platform.LINUX_ARM64, single.root().digest()));
    // The archive has one untagged image, so it can be read without a tag.
    assertThat(root("oci-archive:" + tmp.resolve("s.tar")).digest()).isEqualTo(single.root().digest());
  }

  @Test
  void writesLayoutFilesReadableByOthersWhateverTheTempFileDefaults(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("out");
    copy(alpine.ref(), "oci:" + out + ":x", Optional.of(Platform.LINUX_AMD64));
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rwxr-xr-x");
    try (var files = Files.walk(out)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p)))
            .as(p.toString()).isEqualTo("rw-r--r--");
      }
    }
  }

  @Test
  void copiesAtMostTheConfiguredNumberOfBlobsAtOnce(@TempDir Path tmp) throws IOException {
    java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
    CopyListener counting = new CopyListener() {
      @Override
      public void blobStarted(Descriptor blob) {
        most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      }

      @Override
      public void blobDone(Descriptor blob, BlobOutcome outcome) {
        inFlight.decrementAndGet();
      }
    };
    try (ImageSource in = Images.open(ImageRef.parse(alpine.ref()), TransferOptions.defaults());
        ImageSink out = Images.create(ImageRef.parse("oci:" + tmp.resolve("out")), TransferOptions.defaults())) {
      CopyResult r = new ImageCopier(2, counting).copy(in, out, Optional.empty());
      assertThat(r.blobsCopied()).isEqualTo(6);
    }
    assertThat(most.get()).isBetween(1, 2);
  }

  @Test
  void keepsOtherEntriesOfIndexJsonExactlyIncludingFieldsGraftDoesNotModel(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("out");
    copy(alpine.ref(), "oci:" + out + ":old", Optional.of(Platform.LINUX_AMD64));
    String oldEntry = "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"artifactType\":\"application/x.demo\","
        + "\"digest\":\"" + alpine.manifests().get(Platform.LINUX_AMD64).digest() + "\",\"size\":"
        + alpine.manifests().get(Platform.LINUX_AMD64).size() + ",\"urls\":[\"https://example.com/x\"],"
        + "\"annotations\":{\"org.opencontainers.image.ref.name\":\"old\"}}";
    Files.writeString(out.resolve("index.json"), "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
        + "\"manifests\":[" + oldEntry + "],\"annotations\":{\"keep\":\"me\"}}");
    copy(alpine.ref(), "oci:" + out + ":new", Optional.of(Platform.LINUX_ARM64));
    String index = Files.readString(out.resolve("index.json"));
    assertThat(index).startsWith("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
        + oldEntry + ",{").endsWith("],\"annotations\":{\"keep\":\"me\"}}").contains("\"org.opencontainers.image.ref.name\":\"new\"");
  }

  private static List<Descriptor> concat(Descriptor first, List<Descriptor> rest) {
    List<Descriptor> all = new java.util.ArrayList<>(rest);
    all.add(0, first);
    return all;
  }
}
