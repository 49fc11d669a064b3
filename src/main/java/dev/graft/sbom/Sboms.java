package dev.graft.sbom;

import dev.graft.fs.FileTree;
import dev.graft.oci.Blob;
import dev.graft.oci.ImageConfig;
import dev.graft.oci.ImageSource;
import dev.graft.oci.Manifest;
import java.io.IOException;

/** An SBOM of one platform's image from its source: the filesystem is read, layer origins come from the caller. */
public final class Sboms {
  private Sboms() {}

  /** CycloneDX 1.6 JSON for {@code subject}, whose layers are read from {@code source}. */
  public static byte[] cycloneDx(ImageSubject subject, ImageSource source, Manifest manifest, Blob config)
      throws IOException {
    FileTree tree = FileTree.read(source, manifest, ImageConfig.parse(config).diffIds());
    return CycloneDxWriter.write(subject, ImageInventory.read(subject, tree));
  }
}
