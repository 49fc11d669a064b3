package dev.graft.oci;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an image from a {@code docker save} tar through its {@code manifest.json}. Such a tar has
 * no registry manifest, so one is made: an OCI manifest whose config and layer descriptors are
 * the digests of the stored files (layers kept as stored: plain, gzip or zstd tars). The same
 * archive always yields the same manifest digest. Entries are read in place (see {@link TarLayoutFiles}).
 */
public final class DockerArchiveSource implements ImageSource {
  private final ImageRef.DockerArchive ref;
  private final TarLayoutFiles files;
  private final Blob manifest;
  private final Map<Digest, String> blobNames;

  public static DockerArchiveSource open(ImageRef.DockerArchive ref) throws IOException {
    if (!Files.isRegularFile(ref.file())) {
      throw new java.io.FileNotFoundException(ref + ": no such file");
    }
    TarLayoutFiles files = TarLayoutFiles.open(ref.file(), ref.toString(), true);
    try {
      return new DockerArchiveSource(ref, files);
    } catch (IOException | RuntimeException e) {
      files.close();
      throw e;
    }
  }

  private DockerArchiveSource(ImageRef.DockerArchive ref, TarLayoutFiles files) throws IOException {
    this.ref = ref;
    this.files = files;
    JsonNode entry = selectEntry(readManifestJson());
    Map<Digest, String> names = new HashMap<>();
    Descriptor config = describe(text(entry, "Config"), MediaTypes.OCI_CONFIG, names);
    List<Descriptor> layers = new ArrayList<>();
    JsonNode ls = entry.get("Layers");
    if (ls == null || !ls.isArray()) {
      throw new OciFormatException(ref + ": manifest.json entry has no 'Layers' list");
    }
    for (JsonNode l : ls) {
      String name = TarLayoutFiles.normalize(l.asText(), ref.toString());
      layers.add(describe(name, layerMediaType(name), names));
    }
    this.manifest = new Manifest(MediaTypes.OCI_MANIFEST, config, layers, Map.of()).toBlob();
    this.blobNames = Map.copyOf(names);
  }

  private JsonNode readManifestJson() throws IOException {
    long size = files.size("manifest.json");
    if (size < 0) {
      throw new OciFormatException(ref + " is not a docker save archive (it has no manifest.json)");
    }
    if (size > Json.MAX_DOCUMENT_BYTES) {
      throw new OciFormatException(ref + ": manifest.json is over " + Json.MAX_DOCUMENT_BYTES + " bytes");
    }
    try (InputStream in = files.open("manifest.json")) {
      JsonNode node = Json.MAPPER.readTree(in);
      if (node == null || !node.isArray() || node.isEmpty()) {
        throw new OciFormatException(ref + ": manifest.json is not a non-empty JSON array");
      }
      return node;
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new OciFormatException(ref + ": manifest.json is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** The entry tagged with the reference's NAME:TAG, or the only entry when no name is given. */
  private JsonNode selectEntry(JsonNode entries) {
    List<String> tags = new ArrayList<>();
    for (JsonNode e : entries) {
      for (JsonNode t : e.path("RepoTags")) {
        tags.add(t.asText());
      }
    }
    if (ref.name() == null) {
      if (entries.size() == 1) {
        return entries.get(0);
      }
      throw new OciFormatException(ref + " holds " + entries.size() + " images; name one with :NAME:TAG (tags: "
          + String.join(", ", tags) + ")");
    }
    String wanted = DockerArchiveSink.repoTag(ref);
    for (JsonNode e : entries) {
      for (JsonNode t : e.path("RepoTags")) {
        if (t.asText().equals(wanted) || ImageRef.parse(t.asText()).equals(ImageRef.parse(wanted))) {
          return e;
        }
      }
    }
    throw new OciFormatException(ref + ": no image tagged '" + wanted + "' (tags: "
        + (tags.isEmpty() ? "none" : String.join(", ", tags)) + ")");
  }

  private String text(JsonNode entry, String field) {
    JsonNode v = entry.get(field);
    if (v == null || !v.isTextual()) {
      throw new OciFormatException(ref + ": manifest.json entry has no '" + field + "'");
    }
    return TarLayoutFiles.normalize(v.asText(), ref.toString());
  }

  /** Hashes a stored file to describe it; remembers where each digest lives. */
  private Descriptor describe(String name, String mediaType, Map<Digest, String> names) throws IOException {
    long size = files.size(name);
    if (size < 0) {
      throw new OciFormatException(ref + ": manifest.json names '" + name + "', which the archive lacks");
    }
    MessageDigest md = Digest.newSha256();
    try (InputStream in = new DigestInputStream(files.open(name), md)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    Digest d = Digest.ofSha256(md.digest());
    names.putIfAbsent(d, name);
    return new Descriptor(mediaType, d, size);
  }

  private String layerMediaType(String name) throws IOException {
    byte[] head;
    try (InputStream in = files.open(name)) {
      head = in.readNBytes(4);
    }
    if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
      return MediaTypes.OCI_LAYER_GZIP;
    }
    if (head.length == 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5 && (head[2] & 0xff) == 0x2f
        && (head[3] & 0xff) == 0xfd) {
      return MediaTypes.OCI_LAYER_ZSTD;
    }
    return MediaTypes.OCI_LAYER;
  }

  @Override
  public ImageRef ref() {
    return ref;
  }

  @Override
  public Blob root() {
    return manifest;
  }

  @Override
  public Blob manifest(Descriptor descriptor) {
    if (!descriptor.digest().equals(manifest.digest())) {
      throw new OciFormatException(ref + " has no manifest " + descriptor.digest());
    }
    return manifest;
  }

  @Override
  public InputStream openBlob(Descriptor descriptor) throws IOException {
    String name = blobNames.get(descriptor.digest());
    if (name == null) {
      throw new java.io.FileNotFoundException(ref + ": blob " + descriptor.digest() + " is not in the archive");
    }
    return new VerifyingInputStream(files.open(name), descriptor, ref.toString());
  }

  @Override
  public void close() {
    files.close();
  }
}
