package dev.graft.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.oci.Blob;
import dev.graft.oci.BlobOutcome;
import dev.graft.oci.Descriptor;
import dev.graft.oci.Digest;
import dev.graft.oci.DigestMismatchException;
import dev.graft.oci.ImageRef;
import dev.graft.oci.MediaTypes;
import dev.graft.oci.OciFormatException;
import dev.graft.testing.RegistryExtension;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Push behaviour against a real registry: skip, mount, upload, once per blob, verified content. */
class RegistryPushTest {
  @RegisterExtension
  static final RegistryExtension registry = RegistryExtension.plain();

  private ImageRef.Registry ref(String repoAndTag) {
    return (ImageRef.Registry) ImageRef.parse(registry.get().hostPort() + "/" + repoAndTag);
  }

  private long uploadsInto(String repository) throws Exception {
    // The registry's access log: a finished upload is a PUT to /v2/<repo>/blobs/uploads/<id>?…digest=…
    return registry.get().logLines("\"PUT /v2/" + repository + "/blobs/uploads/").size();
  }

  @Test
  void skipsBlobsTheRepositoryAlreadyHas() throws Exception {
    TestImage image = TestImage.random(2, 2048, 21);
    image.pushTo(new RegistrySink(ref("skip/app:1"), RegistryOptions.defaults()), null);
    long before = uploadsInto("skip/app");
    assertThat(before).isEqualTo(3);

    Map<Digest, BlobOutcome> outcomes = image.pushTo(new RegistrySink(ref("skip/app:2"), RegistryOptions.defaults()),
        null);

    assertThat(uploadsInto("skip/app")).isEqualTo(before);
    assertThat(outcomes).hasSize(3).allSatisfy((d, o) -> assertThat(o).isEqualTo(BlobOutcome.PRESENT));
  }

  @Test
  void mountsBlobsFromAnotherRepositoryOfTheSameRegistry() throws Exception {
    TestImage image = TestImage.random(2, 2048, 22);
    ImageRef.Registry base = ref("mount/base:1");
    image.pushTo(new RegistrySink(base, RegistryOptions.defaults()), null);

    Map<Digest, BlobOutcome> outcomes = image.pushTo(new RegistrySink(ref("mount/app:1"), RegistryOptions.defaults()),
        base);

    assertThat(outcomes).hasSize(3).allSatisfy((d, o) -> assertThat(o).isEqualTo(BlobOutcome.MOUNTED));
    assertThat(uploadsInto("mount/app")).isZero();
    assertThat(registry.get().logLines("\"POST /v2/mount/app/blobs/uploads/?mount=")).hasSize(3)
        .allSatisfy(line -> assertThat(line).contains("from=mount%2Fbase").contains("\" 201 "));
    try (RegistrySource pulled = new RegistrySource(ref("mount/app:1"), RegistryOptions.defaults())) {
      assertThat(pulled.root()).isEqualTo(image.manifest());
    }
  }

  @Test
  void uploadsAnywayWhenTheRegistryDeclinesTheMount() throws Exception {
    TestImage image = TestImage.random(1, 2048, 23);
    // The origin repository never received these blobs, so the registry answers 202 to the mount.
    Map<Digest, BlobOutcome> outcomes = image.pushTo(new RegistrySink(ref("declined/app:1"),
        RegistryOptions.defaults()), ref("declined/empty:1"));

    assertThat(outcomes).hasSize(2).allSatisfy((d, o) -> assertThat(o).isEqualTo(BlobOutcome.UPLOADED));
    assertThat(registry.get().logLines("\"POST /v2/declined/app/blobs/uploads/?mount=")).hasSize(2)
        .allSatisfy(line -> assertThat(line).contains("\" 202 "));
    assertThat(uploadsInto("declined/app")).isEqualTo(2);
  }

  @Test
  void pushesManyBlobsConcurrentlyAndEachOnlyOnce() throws Exception {
    TestImage image = TestImage.random(8, 64 * 1024, 24);
    Map<Digest, List<BlobOutcome>> outcomes = new ConcurrentHashMap<>();
    RegistrySink sink = new RegistrySink(ref("concurrent/app:1"), RegistryOptions.defaults());
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<?>> jobs = new ArrayList<>();
      for (int round = 0; round < 2; round++) { // every blob is asked for twice, at the same time
        for (int i = 0; i < image.layers().size(); i++) {
          Descriptor d = image.layerDescriptors().get(i);
          byte[] bytes = image.layers().get(i);
          jobs.add(pool.submit(() -> {
            BlobOutcome o = sink.putBlob(d, TestImage.content(bytes, null));
            outcomes.computeIfAbsent(d.digest(), k -> java.util.Collections.synchronizedList(new ArrayList<>())).add(o);
            return null;
          }));
        }
      }
      for (Future<?> f : jobs) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(sink.putBlob(image.config().descriptor(), TestImage.content(image.config().bytes(), null)))
        .isEqualTo(BlobOutcome.UPLOADED);
    sink.putManifest(image.manifest());
    sink.commit(image.manifest());

    assertThat(uploadsInto("concurrent/app")).isEqualTo(9);
    // each layer uploaded by one call; the other call, at the same time, found it there
    assertThat(outcomes).hasSize(8).allSatisfy((d, o) -> assertThat(o)
        .containsExactlyInAnyOrder(BlobOutcome.UPLOADED, BlobOutcome.PRESENT));
    try (RegistrySource source = new RegistrySource(ref("concurrent/app:1"), RegistryOptions.defaults())) {
      for (int i = 0; i < image.layers().size(); i++) {
        try (InputStream in = source.openBlob(image.layerDescriptors().get(i))) {
          assertThat(in.readAllBytes()).isEqualTo(image.layers().get(i));
        }
      }
    }
  }

  @Test
  void refusesToPullABlobWhoseStoredContentNoLongerMatchesItsDigest() throws Exception {
    TestImage image = TestImage.random(1, 4096, 25);
    image.pushTo(new RegistrySink(ref("corrupt/app:1"), RegistryOptions.defaults()), null);
    Descriptor layer = image.layerDescriptors().get(0);
    byte[] stored = Files.readAllBytes(registry.get().blobFile(layer.digest().toString()));
    stored[100] ^= 0x01; // same size, one bit flipped: only the digest can tell
    Files.write(registry.get().blobFile(layer.digest().toString()), stored);

    try (RegistrySource source = new RegistrySource(ref("corrupt/app:1"), RegistryOptions.defaults());
        InputStream in = source.openBlob(layer)) {
      assertThatThrownBy(in::readAllBytes).isInstanceOf(DigestMismatchException.class)
          .hasMessageContaining(layer.digest().toString())
          .hasMessageContaining(registry.get().hostPort());
    }
  }

  @Test
  void refusesToPushContentThatDoesNotMatchItsDescriptor() throws Exception {
    TestImage image = TestImage.random(1, 4096, 26);
    Descriptor layer = image.layerDescriptors().get(0);
    byte[] other = image.layers().get(0).clone();
    other[0] ^= 0x01;
    RegistrySink sink = new RegistrySink(ref("liar/app:1"), RegistryOptions.defaults());

    assertThatThrownBy(() -> sink.putBlob(layer, TestImage.content(other, null)))
        .isInstanceOf(DigestMismatchException.class).hasMessageContaining(layer.digest().toString());
    assertThat(sink.hasBlob(layer)).isFalse();
  }

  @Test
  void tagMovesOnlyAtCommit() throws Exception {
    TestImage first = TestImage.random(1, 1024, 27);
    TestImage second = TestImage.random(1, 1024, 28);
    ImageRef.Registry target = ref("atomic/app:stable");
    first.pushTo(new RegistrySink(target, RegistryOptions.defaults()), null);

    RegistrySink sink = new RegistrySink(target, RegistryOptions.defaults());
    sink.putBlob(second.layerDescriptors().get(0), TestImage.content(second.layers().get(0), null));
    sink.putBlob(second.config().descriptor(), TestImage.content(second.config().bytes(), null));
    sink.putManifest(second.manifest());
    try (RegistrySource source = new RegistrySource(target, RegistryOptions.defaults())) {
      assertThat(source.root()).isEqualTo(first.manifest());
      sink.commit(second.manifest());
      assertThat(source.root()).isEqualTo(second.manifest());
    }
  }

  @Test
  void pushesAnIndexAfterItsManifestsAndPullsItBack() throws Exception {
    TestImage amd = TestImage.random(1, 1024, 29);
    TestImage arm = TestImage.random(1, 1024, 30);
    var index = dev.graft.oci.Json.object();
    index.put("schemaVersion", 2);
    index.put("mediaType", MediaTypes.OCI_INDEX);
    var manifests = index.putArray("manifests");
    for (var pair : List.of(Map.entry(amd, "amd64"), Map.entry(arm, "arm64"))) {
      var d = manifests.addObject();
      d.put("mediaType", MediaTypes.OCI_MANIFEST);
      d.put("digest", pair.getKey().manifest().digest().toString());
      d.put("size", pair.getKey().manifest().size());
      d.putObject("platform").put("architecture", pair.getValue()).put("os", "linux");
    }
    Blob indexBlob = new Blob(MediaTypes.OCI_INDEX, dev.graft.oci.Json.write(index));
    ImageRef.Registry target = ref("multi/app:1");
    RegistrySink sink = new RegistrySink(target, RegistryOptions.defaults());
    for (TestImage image : List.of(amd, arm)) {
      for (int i = 0; i < image.layers().size(); i++) {
        sink.putBlob(image.layerDescriptors().get(i), TestImage.content(image.layers().get(i), null));
      }
      sink.putBlob(image.config().descriptor(), TestImage.content(image.config().bytes(), null));
      sink.putManifest(image.manifest());
    }
    sink.putManifest(indexBlob);
    sink.commit(indexBlob);

    try (RegistrySource source = new RegistrySource(target, RegistryOptions.defaults())) {
      assertThat(source.root()).isEqualTo(indexBlob);
      assertThat(source.manifest(arm.manifest().descriptor())).isEqualTo(arm.manifest());
    }
  }

  @Test
  void refusesToPushAManifestOfUnknownMediaType() {
    Blob odd = new Blob("application/vnd.example.thing+json", "{}".getBytes());
    RegistrySink sink = new RegistrySink(ref("odd/app:1"), RegistryOptions.defaults());
    assertThatThrownBy(() -> sink.putManifest(odd)).isInstanceOf(OciFormatException.class)
        .hasMessageContaining("unknown media type 'application/vnd.example.thing+json'");
  }

  @Test
  void namesTheMissingManifestWhenATagDoesNotExist() throws Exception {
    try (RegistrySource source = new RegistrySource(ref("nothing/here:nope"), RegistryOptions.defaults())) {
      assertThatThrownBy(source::root).isInstanceOf(RegistryException.class)
          .hasMessageContaining("manifest 'nope'").hasMessageContaining("nothing/here")
          .hasMessageContaining("404")
          .satisfies(e -> assertThat(((RegistryException) e).retryable()).isFalse());
    }
  }
}
