package dev.graft.sbom;

import dev.graft.fs.FileTree;
import dev.graft.oci.Blob;
import dev.graft.oci.ImageConfig;
import dev.graft.oci.ImageSource;
import dev.graft.oci.Manifest;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** SBOMs of one platform's image from its source: the filesystem is read once, layer origins come from the caller. */
public final class Sboms {
  private Sboms() {}

  /** CycloneDX 1.6 JSON for {@code subject}, whose layers are read from {@code source}. */
  public static byte[] cycloneDx(ImageSubject subject, ImageSource source, Manifest manifest, Blob config)
      throws IOException {
    return write(List.of(SbomFormat.CYCLONEDX), subject, source, manifest, config).get(SbomFormat.CYCLONEDX);
  }

  /** One document per format, in the order asked, from one reading of the image. */
  public static Map<SbomFormat, byte[]> write(List<SbomFormat> formats, ImageSubject subject, ImageSource source,
      Manifest manifest, Blob config) throws IOException {
    FileTree tree = FileTree.read(source, manifest, ImageConfig.parse(config).diffIds());
    ImageInventory inventory = ImageInventory.read(subject, tree);
    Map<SbomFormat, byte[]> out = new LinkedHashMap<>();
    formats.forEach(f -> out.put(f, f.write(subject, inventory)));
    return out;
  }
}
