package dev.graft.oci;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads an image from an OCI image layout directory. The image is the index.json entry whose
 * {@code org.opencontainers.image.ref.name} is the tag, or the only entry when no tag is given.
 * Every blob read is checked against its descriptor's size and digest.
 */
public final class OciLayoutSource implements ImageSource {
  private final ImageRef ref;
  private final Path dir;
  private final Path realDir;
  private final Descriptor rootDescriptor;

  /** Opens {@code oci:DIR[:TAG]}. */
  public static OciLayoutSource open(ImageRef.OciLayout ref) throws IOException {
    return new OciLayoutSource(ref, ref.dir(), ref.tag());
  }

  /** Opens a layout found at {@code dir} on behalf of {@code ref} (e.g. an extracted archive). */
  OciLayoutSource(ImageRef ref, Path dir, String tag) throws IOException {
    this.ref = ref;
    this.dir = dir;
    if (!Files.isDirectory(dir)) {
      throw new NoSuchFileException(dir.toString(), null,
          ref + ": no such directory (an OCI layout is a directory holding oci-layout and index.json)");
    }
    if (!Files.isRegularFile(dir.resolve(OciLayouts.OCI_LAYOUT_FILE))) {
      throw new OciFormatException(ref + " is not an OCI image layout (it has no oci-layout file)");
    }
    this.realDir = dir.toRealPath();
    Index index = readIndex(ref, dir);
    this.rootDescriptor = select(ref, index, tag);
  }

  static Index readIndex(ImageRef ref, Path dir) throws IOException {
    Path file = dir.resolve(OciLayouts.INDEX_FILE);
    if (!Files.isRegularFile(file)) {
      throw new OciFormatException(ref + " is not an OCI image layout (it has no index.json)");
    }
    if (Files.size(file) > Json.MAX_DOCUMENT_BYTES) {
      throw new OciFormatException(ref + ": index.json is over " + Json.MAX_DOCUMENT_BYTES + " bytes");
    }
    try {
      return Index.parse(new Blob(MediaTypes.OCI_INDEX, Files.readAllBytes(file)));
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
    Path p = OciLayouts.blobPath(dir, descriptor.digest());
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      throw new NoSuchFileException(p.toString(), null, ref + ": blob " + descriptor.digest() + " is missing");
    }
    // A symlinked blob could point anywhere on the host: only follow it if it stays inside.
    Path real = p.toRealPath();
    if (!real.startsWith(realDir) || !Files.isRegularFile(real)) {
      throw new OciFormatException(ref + ": blob " + descriptor.digest() + " is not a regular file inside the layout");
    }
    long size = Files.size(real);
    if (size != descriptor.size()) {
      throw new DigestMismatchException(ref + ": blob " + descriptor.digest() + " has " + size
          + " bytes, its descriptor declares " + descriptor.size() + " (truncated or altered)");
    }
    return new VerifyingInputStream(Files.newInputStream(real), descriptor, ref.toString());
  }

  @Override
  public void close() {}
}
