package dev.graft.oci;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;

/**
 * Reads an image from an OCI image layout (a directory, or a tar of one via {@link OciArchiveSource}).
 * The image is the index.json entry whose {@code org.opencontainers.image.ref.name} is the tag,
 * or the only entry when no tag is given. Every blob read is checked against its descriptor.
 */
public final class OciLayoutSource implements ImageSource {
  private final ImageRef ref;
  private final LayoutFiles files;
  private final Descriptor rootDescriptor;

  /** Opens {@code oci:DIR[:TAG]}. */
  public static OciLayoutSource open(ImageRef.OciLayout ref) throws IOException {
    if (!Files.isDirectory(ref.dir())) {
      throw new java.io.FileNotFoundException(
          ref + ": no such directory (an OCI layout is a directory holding oci-layout and index.json)");
    }
    return new OciLayoutSource(ref, new DirectoryLayoutFiles(ref.dir(), ref.toString()), ref.tag());
  }

  /** Reads a layout from {@code files} on behalf of {@code ref} (e.g. an archive). */
  OciLayoutSource(ImageRef ref, LayoutFiles files, String tag) throws IOException {
    this.ref = ref;
    this.files = files;
    if (files.size(OciLayouts.OCI_LAYOUT_FILE) < 0) {
      throw new OciFormatException(ref + " is not an OCI image layout (it has no oci-layout file)");
    }
    this.rootDescriptor = select(ref, readIndex(ref, files), tag);
  }

  static Index readIndex(ImageRef ref, LayoutFiles files) throws IOException {
    long size = files.size(OciLayouts.INDEX_FILE);
    if (size < 0) {
      throw new OciFormatException(ref + " is not an OCI image layout (it has no index.json)");
    }
    if (size > Json.MAX_DOCUMENT_BYTES) {
      throw new OciFormatException(ref + ": index.json is over " + Json.MAX_DOCUMENT_BYTES + " bytes");
    }
    try (InputStream in = files.open(OciLayouts.INDEX_FILE)) {
      return Index.parse(new Blob(MediaTypes.OCI_INDEX, in.readNBytes(Json.MAX_DOCUMENT_BYTES)));
    } catch (OciFormatException e) {
      throw new OciFormatException(ref + ": index.json: " + e.getMessage(), e);
    }
  }

  private static Descriptor select(ImageRef ref, Index index, String tag) {
    if (tag == null) {
      if (index.manifests().size() == 1) {
        return index.manifests().get(0);
      }
      throw new OciFormatException(ref + " holds " + index.manifests().size()
          + " images; name one with :TAG (" + OciLayouts.describeTags(index) + ")");
    }
    List<Descriptor> hits = index.manifests().stream()
        .filter(d -> tag.equals(d.annotations().get(OciLayouts.REF_NAME)))
        .toList();
    if (hits.isEmpty()) {
      throw new OciFormatException(ref + ": no image tagged '" + tag + "' (" + OciLayouts.describeTags(index) + ")");
    }
    if (hits.size() > 1) {
      throw new OciFormatException(ref + ": tag '" + tag + "' names " + hits.size()
          + " entries in index.json; the layout is ambiguous");
    }
    return hits.get(0);
  }

  @Override
  public ImageRef ref() {
    return ref;
  }

  /** The index.json entry this source reads. */
  public Descriptor rootDescriptor() {
    return rootDescriptor;
  }

  @Override
  public Blob root() throws IOException {
    return manifest(rootDescriptor);
  }

  @Override
  public Blob manifest(Descriptor descriptor) throws IOException {
    if (!MediaTypes.isManifest(descriptor.mediaType()) && !MediaTypes.isIndex(descriptor.mediaType())) {
      throw new OciFormatException(ref + ": " + descriptor.digest() + " has media type '" + descriptor.mediaType()
          + "', which is neither a manifest nor an index graft reads (" + MediaTypes.OCI_MANIFEST + ", "
          + MediaTypes.OCI_INDEX + ", " + MediaTypes.DOCKER_MANIFEST + ", " + MediaTypes.DOCKER_MANIFEST_LIST + ")");
    }
    return readBlob(descriptor);
  }

  @Override
  public InputStream openBlob(Descriptor descriptor) throws IOException {
    // The digest record admits only [a-f0-9] hex, so this name cannot climb out of blobs/.
    String name = "blobs/" + descriptor.digest().algorithm() + "/" + descriptor.digest().hex();
    long size = files.size(name);
    if (size < 0) {
      throw new java.io.FileNotFoundException(ref + ": blob " + descriptor.digest() + " is missing");
    }
    if (size != descriptor.size()) {
      throw new DigestMismatchException(ref + ": blob " + descriptor.digest() + " has " + size
          + " bytes, its descriptor declares " + descriptor.size() + " (truncated or altered)");
    }
    return new VerifyingInputStream(files.open(name), descriptor, ref.toString());
  }

  @Override
  public void close() throws IOException {
    files.close();
  }
}
