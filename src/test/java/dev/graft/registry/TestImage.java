package dev.graft.registry;

import dev.graft.oci.Blob;
import dev.graft.oci.BlobContent;
import dev.graft.oci.BlobOutcome;
import dev.graft.oci.Descriptor;
import dev.graft.oci.Digest;
import dev.graft.oci.ImageRef;
import dev.graft.oci.ImageSink;
import dev.graft.oci.Json;
import dev.graft.oci.Manifest;
import dev.graft.oci.MediaTypes;
import dev.graft.testing.TestData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** A small single-platform image held in memory: layers, a config and the manifest naming them. */
record TestImage(List<byte[]> layers, Blob config, Blob manifest) {

  /** An image whose one layer is the real Alpine 3.16 x86_64 minirootfs (gzip tar). */
  static TestImage alpine() throws IOException {
    return of(List.of(Files.readAllBytes(TestData.alpine("3.16", "x86_64"))), "alpine");
  }

  /** An image with {@code count} layers of pseudo-random bytes; {@code seed} makes them unique per test. */
  static TestImage random(int count, int layerBytes, long seed) {
    Random r = new Random(seed);
    List<byte[]> layers = new java.util.ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] b = new byte[layerBytes];
      r.nextBytes(b);
      layers.add(b);
    }
    return of(layers, "seed-" + seed);
  }

  private static TestImage of(List<byte[]> layers, String label) {
    var cfg = Json.object();
    cfg.put("architecture", "amd64");
    cfg.put("os", "linux");
    cfg.putObject("config").putArray("Cmd").add("/bin/sh");
    var rootfs = cfg.putObject("rootfs");
    rootfs.put("type", "layers");
    var ids = rootfs.putArray("diff_ids");
    layers.forEach(l -> ids.add(Digest.sha256(label.concat(String.valueOf(l.length))
        .getBytes(StandardCharsets.UTF_8)).toString()));
    Blob config = new Blob(MediaTypes.OCI_CONFIG, Json.write(cfg));
    List<Descriptor> layerDescriptors = layers.stream()
        .map(l -> new Descriptor(MediaTypes.OCI_LAYER_GZIP, Digest.sha256(l), l.length)).toList();
    Blob manifest = new Manifest(MediaTypes.OCI_MANIFEST, config.descriptor(), layerDescriptors,
        Map.of("org.opencontainers.image.title", label)).toBlob();
    return new TestImage(List.copyOf(layers), config, manifest);
  }

  List<Descriptor> layerDescriptors() {
    return layers.stream().map(l -> new Descriptor(MediaTypes.OCI_LAYER_GZIP, Digest.sha256(l), l.length)).toList();
  }

  static BlobContent content(byte[] bytes, ImageRef.Registry origin) {
    return new BlobContent(() -> new ByteArrayInputStream(bytes), origin);
  }

  /**
   * Pushes everything in the order ImageSink asks for: blobs, config, manifest, then the tag;
   * returns what each blob's put took, by digest.
   */
  Map<Digest, BlobOutcome> pushTo(ImageSink sink, ImageRef.Registry origin) throws IOException {
    Map<Digest, BlobOutcome> outcomes = new LinkedHashMap<>();
    for (int i = 0; i < layers.size(); i++) {
      Descriptor d = layerDescriptors().get(i);
      outcomes.put(d.digest(), sink.putBlob(d, content(layers.get(i), origin)));
    }
    outcomes.put(config.digest(), sink.putBlob(config.descriptor(), content(config.bytes(), origin)));
    sink.putManifest(manifest);
    sink.commit(manifest);
    return outcomes;
  }
}
