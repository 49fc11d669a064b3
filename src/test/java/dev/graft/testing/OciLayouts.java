package dev.graft.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Writes a minimal OCI image layout around given layer blobs, so umoci and skopeo can judge
 * graft's view of those layers. Written by hand (not by graft's sink) to stay an independent judge.
 */
public final class OciLayouts {
  private OciLayouts() {}

  /** Layers (gzip or plain tar files, lowest first) → an OCI layout at {@code dir}, tag {@code tag}. */
  public static void write(Path dir, String tag, List<Path> layers) throws IOException {
    Path blobs = Files.createDirectories(dir.resolve("blobs/sha256"));
    List<String> layerJson = new ArrayList<>();
    List<String> diffIds = new ArrayList<>();
    for (Path layer : layers) {
      String digest = sha256(layer, false);
      boolean gzip = isGzip(layer);
      Files.copy(layer, blobs.resolve(digest), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      String mediaType = gzip ? "application/vnd.oci.image.layer.v1.tar+gzip" : "application/vnd.oci.image.layer.v1.tar";
      layerJson.add("{\"mediaType\":\"" + mediaType + "\",\"digest\":\"sha256:" + digest + "\",\"size\":"
          + Files.size(layer) + "}");
      diffIds.add("\"sha256:" + (gzip ? sha256(layer, true) : digest) + "\"");
    }
    String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\","
        + "\"diff_ids\":[" + String.join(",", diffIds) + "]}}";
    String configDigest = put(blobs, config);
    String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:" + configDigest
        + "\",\"size\":" + config.getBytes(StandardCharsets.UTF_8).length + "},\"layers\":["
        + String.join(",", layerJson) + "]}";
    String manifestDigest = put(blobs, manifest);
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
        + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:" + manifestDigest + "\",\"size\":"
        + manifest.getBytes(StandardCharsets.UTF_8).length
        + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"" + tag + "\"}}]}");
  }

  private static String put(Path blobs, String json) throws IOException {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    String digest = HexFormat.of().formatHex(sha().digest(b));
    Files.write(blobs.resolve(digest), b);
    return digest;
  }

  private static boolean isGzip(Path p) throws IOException {
    try (InputStream in = Files.newInputStream(p)) {
      return in.read() == 0x1f && in.read() == 0x8b;
    }
  }

  public static String sha256(Path p, boolean gunzip) throws IOException {
    MessageDigest md = sha();
    try (InputStream raw = Files.newInputStream(p); InputStream in = gunzip ? new GZIPInputStream(raw) : raw) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static MessageDigest sha() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
