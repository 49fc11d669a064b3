package dev.graft.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.oci.Blob;
import dev.graft.oci.BlobContent;
import dev.graft.oci.BlobOutcome;
import dev.graft.oci.Descriptor;
import dev.graft.oci.DigestMismatchException;
import dev.graft.oci.ImageRef;
import dev.graft.oci.ImageSink;
import dev.graft.oci.ImageSource;
import dev.graft.oci.Manifest;
import dev.graft.oci.Platform;
import dev.graft.testing.AlpineImages;
import dev.graft.testing.AlpineImages.Fixture;
import dev.graft.testing.RegistryExtension;
import dev.graft.testing.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one image writer against every kind of destination it serves: a real registry, an OCI
 * layout and an OCI archive. skopeo judges what it wrote; the registry's access log counts what
 * it asked.
 */
class ImageWriterTest {
  private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(2);

  @RegisterExtension
  static final RegistryExtension registry = RegistryExtension.plain();

  @TempDir
  static Path shared;

  static Fixture alpine;

  @BeforeAll
  static void buildFixture() {
    alpine = AlpineImages.layout(shared.resolve("alpine"), "3.18");
  }

  @Test
  void writesOneIndexAlikeToARegistryALayoutAndAnArchive(@TempDir Path tmp) throws IOException {
    String host = registry.get().hostPort();
    ImageContents index = wholeIndex(null);
    String expected = new String(alpine.root().bytes(), StandardCharsets.UTF_8);

    BlobTally pushed = write(host + "/writer/alike:1", index, Attachments.NONE);
    BlobTally laidOut = write("oci:" + tmp.resolve("layout") + ":1", index, Attachments.NONE);
    BlobTally archived = write("oci-archive:" + tmp.resolve("a.tar") + ":1", index, Attachments.NONE);

    // three configs and three layers, each once, though the amd64 layer is listed twice
    assertThat(pushed.blobs(BlobOutcome.UPLOADED)).isEqualTo(6);
    assertThat(laidOut.blobs(BlobOutcome.WRITTEN)).isEqualTo(6);
    assertThat(archived.blobs(BlobOutcome.WRITTEN)).isEqualTo(6);
    assertThat(registry.get().logLines("\"PUT /v2/writer/alike/blobs/uploads/")).hasSize(6);
    for (String ref : List.of("oci:" + tmp.resolve("layout") + ":1", "oci-archive:" + tmp.resolve("a.tar") + ":1")) {
      assertThat(skopeo("inspect", "--raw", ref)).as(ref).isEqualTo(expected);
    }
    assertThat(skopeo("inspect", "--raw", "--tls-verify=false", "docker://" + host + "/writer/alike:1"))
        .isEqualTo(expected);
    // skopeo reads every blob back and checks its digest while copying the pushed index
    skopeo("copy", "--all", "--src-tls-verify=false", "docker://" + host + "/writer/alike:1",
        "oci:" + tmp.resolve("judged") + ":1");
    for (Platform p : AlpineImages.PLATFORMS) {
      Descriptor layer = alpine.manifest(p).layers().get(0);
      assertThat(tmp.resolve("judged/blobs/sha256/" + layer.digest().hex()))
          .hasSameBinaryContentAs(alpine.blob(layer.digest()));
    }
  }

  @Test
  void checksEachRegistryBlobOnceAndMountsFromTheSameRegistry() throws IOException {
    String host = registry.get().hostPort();
    write(host + "/writer/base:1", wholeIndex(null), Attachments.NONE);
    int heads = registry.get().logLines("\"HEAD /v2/writer/base/blobs/").size();
    assertThat(heads).as("one HEAD per distinct blob on the first write").isEqualTo(6);

    List<Descriptor> started = new CopyOnWriteArrayList<>();
    Map<Descriptor, BlobOutcome> done = new ConcurrentHashMap<>();
    WriteListener listener = new WriteListener() {
      @Override
      public void blobStarted(Descriptor blob) {
        started.add(blob);
      }

      @Override
      public void blobDone(Descriptor blob, BlobOutcome outcome) {
        done.put(blob, outcome);
      }
    };
    BlobTally again = write(host + "/writer/base:2", wholeIndex(null), Attachments.NONE, listener);

    assertThat(again.blobs(BlobOutcome.PRESENT)).isEqualTo(6);
    assertThat(registry.get().logLines("\"HEAD /v2/writer/base/blobs/")).hasSize(heads + 6);
    assertThat(registry.get().logLines("\"PUT /v2/writer/base/blobs/uploads/")).hasSize(6);
    assertThat(started).as("a blob the target has never starts").isEmpty();
    assertThat(done.values()).hasSize(6).containsOnly(BlobOutcome.PRESENT);

    ImageRef.Registry origin = (ImageRef.Registry) ImageRef.parse(host + "/writer/base:1");
    BlobTally mounted = write(host + "/writer/derived:1", wholeIndex(origin), Attachments.NONE);
    assertThat(mounted.blobs(BlobOutcome.MOUNTED)).isEqualTo(6);
    assertThat(registry.get().logLines("\"PUT /v2/writer/derived/blobs/uploads/")).isEmpty();
  }

  @Test
  void attachmentsSeeTheImageByDigestWhileTheTagStillNamesThePreviousOne() throws IOException {
    String tag = registry.get().hostPort() + "/writer/signed:latest";
    Blob amd64 = alpine.manifests().get(Platform.LINUX_AMD64);
    Blob arm64 = alpine.manifests().get(Platform.LINUX_ARM64);
    write(tag, onePlatform(Platform.LINUX_AMD64), Attachments.NONE);

    List<String> seen = new ArrayList<>();
    write(tag, onePlatform(Platform.LINUX_ARM64), (target, root) -> {
      seen.add(target + " " + root.digest());
      assertThat(rootOf(registry.get().hostPort() + "/writer/signed@" + root.digest())).isEqualTo(arm64);
      assertThat(rootOf(tag)).as("the tag has not moved yet").isEqualTo(amd64);
    });

    assertThat(seen).containsExactly(tag + " " + arm64.digest());
    assertThat(rootOf(tag)).isEqualTo(arm64);
  }

  @Test
  void aFailedAttachmentFailsTheWriteWithEveryReferenceUnmoved(@TempDir Path tmp) throws IOException {
    Attachments failing = (target, root) -> {
      throw new IOException("cannot sign " + target);
    };
    String tag = registry.get().hostPort() + "/writer/unsigned:latest";
    String layout = "oci:" + tmp.resolve("layout") + ":latest";
    for (String ref : List.of(tag, layout)) {
      write(ref, onePlatform(Platform.LINUX_AMD64), Attachments.NONE);
      assertThatThrownBy(() -> write(ref, onePlatform(Platform.LINUX_ARM64), failing))
          .isInstanceOf(IOException.class).hasMessageStartingWith("cannot sign ");
      assertThat(rootOf(ref)).as(ref).isEqualTo(alpine.manifests().get(Platform.LINUX_AMD64));
    }
    Path archive = tmp.resolve("never.tar");
    assertThatThrownBy(() -> write("oci-archive:" + archive + ":x", onePlatform(Platform.LINUX_AMD64), failing))
        .hasMessageStartingWith("cannot sign ");
    try (var left = Files.list(tmp)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("layout");
    }
  }

  @Test
  void aBlobThatLiesFailsTheWriteAndTheBlobsAfterItNeverStart(@TempDir Path tmp) {
    Manifest m = alpine.manifest(Platform.LINUX_AMD64);
    Descriptor layer = m.layers().get(0);
    List<BlobToWrite> blobs = new ArrayList<>();
    blobs.add(new BlobToWrite(layer, BlobContent.of("not the layer".getBytes(StandardCharsets.UTF_8))));
    blobs.add(fromFixture(m.config(), null));
    ImageContents lying = new ImageContents(blobs, List.of(alpine.manifests().get(Platform.LINUX_AMD64)),
        alpine.manifests().get(Platform.LINUX_AMD64));
    List<Descriptor> started = new CopyOnWriteArrayList<>();
    WriteListener listener = new WriteListener() {
      @Override
      public void blobStarted(Descriptor blob) {
        started.add(blob);
      }
    };
    Path layout = tmp.resolve("layout");

    // one at a time, so "after it" is certain: the config is queued behind the lying layer
    assertThatThrownBy(() -> {
      try (ImageSink sink = Images.create(ImageRef.parse("oci:" + layout + ":x"), TransferOptions.defaults())) {
        new ImageWriter(1, listener).write(sink, lying, Attachments.NONE);
      }
    }).isInstanceOf(DigestMismatchException.class);

    assertThat(started).containsExactly(layer);
    assertThat(layout).doesNotExist();
  }

  /** The fixture's index: every platform's config and layer (the amd64 layer listed twice), three manifests, the index. */
  private static ImageContents wholeIndex(ImageRef.Registry origin) {
    List<BlobToWrite> blobs = new ArrayList<>();
    List<Blob> manifests = new ArrayList<>();
    for (Platform p : AlpineImages.PLATFORMS) {
      Manifest m = alpine.manifest(p);
      blobs.add(fromFixture(m.config(), origin));
      for (Descriptor d : m.layers()) {
        blobs.add(fromFixture(d, origin));
      }
      manifests.add(alpine.manifests().get(p));
    }
    blobs.add(fromFixture(alpine.manifest(Platform.LINUX_AMD64).layers().get(0), origin));
    manifests.add(alpine.root());
    return new ImageContents(blobs, manifests, alpine.root());
  }

  private static ImageContents onePlatform(Platform p) {
    Manifest m = alpine.manifest(p);
    List<BlobToWrite> blobs = new ArrayList<>();
    blobs.add(fromFixture(m.config(), null));
    m.layers().forEach(d -> blobs.add(fromFixture(d, null)));
    Blob manifest = alpine.manifests().get(p);
    return new ImageContents(blobs, List.of(manifest), manifest);
  }

  private static BlobToWrite fromFixture(Descriptor d, ImageRef.Registry origin) {
    return new BlobToWrite(d, new BlobContent(() -> Files.newInputStream(alpine.blob(d.digest())), origin));
  }

  private static BlobTally write(String ref, ImageContents image, Attachments attachments) throws IOException {
    return write(ref, image, attachments, WriteListener.NONE);
  }

  private static BlobTally write(String ref, ImageContents image, Attachments attachments, WriteListener listener)
      throws IOException {
    TransferOptions options = TransferOptions.defaults();
    try (ImageSink sink = Images.create(ImageRef.parse(ref), options)) {
      return new ImageWriter(options.concurrency(), listener).write(sink, image, attachments);
    }
  }

  private static Blob rootOf(String ref) throws IOException {
    try (ImageSource in = Images.open(ImageRef.parse(ref), TransferOptions.defaults())) {
      return in.root();
    }
  }

  private static String skopeo(String... args) {
    Tools.require("skopeo");
    List<String> cmd = new ArrayList<>(List.of("skopeo"));
    cmd.addAll(List.of(args));
    return Tools.run(TOOL_TIMEOUT, null, cmd).assertSuccess(cmd).stdout();
  }
}
