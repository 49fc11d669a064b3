package dev.graft.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.oci.Blob;
import dev.graft.oci.Descriptor;
import dev.graft.oci.Digest;
import dev.graft.oci.ImageConfig;
import dev.graft.oci.Index;
import dev.graft.oci.Json;
import dev.graft.oci.Manifest;
import dev.graft.oci.MediaTypes;
import dev.graft.oci.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Builds real OCI image layouts from the Alpine minirootfs tarballs: each {@code .tar.gz} file is
 * used as-is as a gzip layer blob (digest = sha256 of the file, diffID = sha256 of its gunzipped
 * bytes), with a config naming the platform. Written file by file, independently of graft's own
 * layout writer, so tests of that writer have an independent reference.
 */
public final class AlpineImages {
  private AlpineImages() {}

  public static final String PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  /** Alpine's arch names for the three platforms the shared tarballs cover. */
  public static final Map<Platform, String> ARCHES = Map.of(
      Platform.LINUX_AMD64, "x86_64",
      Platform.LINUX_ARM64, "aarch64",
      Platform.LINUX_ARM_V7, "armv7");

  public static final List<Platform> PLATFORMS = List.of(Platform.LINUX_AMD64, Platform.LINUX_ARM64, Platform.LINUX_ARM_V7);

  /** A layout written by this class: its directory, tag, root (index or manifest) and per-platform manifests. */
  public record Fixture(Path dir, String tag, Blob root, Map<Platform, Blob> manifests) {
    public Fixture {
      manifests = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(manifests));
    }

    /** The {@code oci:DIR:TAG} reference. */
    public String ref() {
      return "oci:" + dir + ":" + tag;
    }

    public Manifest manifest(Platform p) {
      return Manifest.parse(manifests.get(p));
    }

    /** The image config of one platform, read from the layout. */
    public ImageConfig config(Platform p) {
      Descriptor d = manifest(p).config();
      try {
        return ImageConfig.parse(new Blob(d.mediaType(), Files.readAllBytes(blob(d.digest()))));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Where a blob lives in the layout. */
    public Path blob(Digest d) {
      return dir.resolve("blobs").resolve(d.algorithm()).resolve(d.hex());
    }
  }

  /** A three-platform layout (index → linux/amd64, linux/arm64/v8, linux/arm/v7) tagged with the version. */
  public static Fixture layout(Path dir, String version) {
    return layout(dir, version, version, PLATFORMS);
  }

  /** A layout with one manifest (no index) for {@code platform}, tagged with the version. */
  public static Fixture singlePlatformLayout(Path dir, String version, Platform platform) {
    return layout(dir, version, version, List.of(platform));
  }

  /**
   * A layout whose tagged root is an index of {@code platforms}, or the bare manifest when only one
   * platform is given. Adds to an existing layout written by this class (other tags are kept).
   */
  public static Fixture layout(Path dir, String version, String tag, List<Platform> platforms) {
    try {
      Map<Platform, Blob> manifests = new LinkedHashMap<>();
      List<Descriptor> entries = new ArrayList<>();
      for (Platform p : platforms) {
        Blob manifest = platformImage(dir, version, p);
        manifests.put(p, manifest);
        entries.add(manifest.descriptor().withPlatform(p));
      }
      Blob root;
      if (platforms.size() == 1) {
        root = manifests.values().iterator().next();
      } else {
        root = new Index(MediaTypes.OCI_INDEX, entries, Map.of()).toBlob();
        writeBlob(dir, root.bytes());
      }
      writeIndexJson(dir, root, tag);
      return new Fixture(dir, tag, root, manifests);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Blob platformImage(Path dir, String version, Platform p) throws IOException {
    Path tarball = TestData.alpine(version, ARCHES.get(p));
    Digest layerDigest = copyBlob(dir, tarball);
    Digest diffId = gunzippedSha256(tarball);
    Blob config = new Blob(MediaTypes.OCI_CONFIG, configJson(p, diffId, version));
    writeBlob(dir, config.bytes());
    Descriptor layer = new Descriptor(MediaTypes.OCI_LAYER_GZIP, layerDigest, Files.size(tarball));
    Blob manifest = new Manifest(MediaTypes.OCI_MANIFEST, config.descriptor(), List.of(layer), Map.of()).toBlob();
    writeBlob(dir, manifest.bytes());
    return manifest;
  }

  static byte[] configJson(Platform p, Digest diffId, String version) {
    ObjectNode n = Json.object();
    n.put("created", "1970-01-01T00:00:01Z");
    n.put("architecture", p.architecture());
    n.put("os", p.os());
    if (p.variant() != null) {
      n.put("variant", p.variant());
    }
    ObjectNode c = n.putObject("config");
    c.putArray("Env").add(PATH);
    c.putArray("Cmd").add("/bin/sh");
    ObjectNode rootfs = n.putObject("rootfs");
    rootfs.put("type", "layers");
    rootfs.putArray("diff_ids").add(diffId.toString());
    ArrayNode history = n.putArray("history");
    history.addObject().put("created", "1970-01-01T00:00:01Z")
        .put("created_by", "alpine-minirootfs " + version + " (graft test fixture)");
    return Json.write(n);
  }

  static Digest gunzippedSha256(Path gz) throws IOException {
    MessageDigest md = Digest.newSha256();
    try (InputStream in = new DigestInputStream(new GZIPInputStream(Files.newInputStream(gz), 1 << 16), md)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return Digest.ofSha256(md.digest());
  }

  private static Digest copyBlob(Path dir, Path file) throws IOException {
    MessageDigest md = Digest.newSha256();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    Digest d = Digest.ofSha256(md.digest());
    Path target = blobPath(dir, d);
    if (!Files.exists(target)) {
      Files.createDirectories(target.getParent());
      Files.copy(file, target);
    }
    return d;
  }

  /** Writes bytes as a blob of the layout (by their sha256) and returns their digest. */
  public static Digest writeBlob(Path dir, byte[] bytes) throws IOException {
    Digest d = Digest.sha256(bytes);
    Path target = blobPath(dir, d);
    Files.createDirectories(target.getParent());
    Files.write(target, bytes);
    return d;
  }

  /** Sets index.json's entry for {@code tag} to {@code root}, keeping other tags; writes oci-layout. */
  public static void writeIndexJson(Path dir, Blob root, String tag) throws IOException {
    Files.createDirectories(dir);
    Files.write(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes());
    List<Descriptor> entries = new ArrayList<>();
    Path indexJson = dir.resolve("index.json");
    if (Files.exists(indexJson)) {
      for (Descriptor d : Index.parse(new Blob(MediaTypes.OCI_INDEX, Files.readAllBytes(indexJson))).manifests()) {
        if (!tag.equals(d.annotations().get("org.opencontainers.image.ref.name"))) {
          entries.add(d);
        }
      }
    }
    entries.add(root.descriptor().withAnnotations(Map.of("org.opencontainers.image.ref.name", tag)));
    Files.write(indexJson, new Index(MediaTypes.OCI_INDEX, entries, Map.of()).toBlob().bytes());
  }

  private static Path blobPath(Path dir, Digest d) {
    return dir.resolve("blobs").resolve(d.algorithm()).resolve(d.hex());
  }
}
