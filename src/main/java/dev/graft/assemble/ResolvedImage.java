package dev.graft.assemble;

import dev.graft.oci.Blob;
import dev.graft.oci.ImageConfig;
import dev.graft.oci.ImageSource;
import dev.graft.oci.Manifest;
import java.util.Objects;

/** One platform's image of a source: its manifest and config, exact bytes kept. */
record ResolvedImage(ImageSource source, Blob manifestBlob, Manifest manifest, Blob configBlob, ImageConfig config) {
  ResolvedImage {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(manifestBlob, "manifestBlob");
    Objects.requireNonNull(manifest, "manifest");
    Objects.requireNonNull(configBlob, "configBlob");
    Objects.requireNonNull(config, "config");
  }
}
