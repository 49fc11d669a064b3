package dev.graft.assemble;

import dev.graft.oci.Blob;
import dev.graft.oci.ImageConfig;
import dev.graft.oci.ImageSource;
import dev.graft.oci.Manifest;
import dev.graft.oci.Require;

/** One platform's image of a source: its manifest and config, exact bytes kept. */
record ResolvedImage(ImageSource source, Blob manifestBlob, Manifest manifest, Blob configBlob, ImageConfig config) {
  ResolvedImage {
    Require.nonNull("source, manifestBlob, manifest, configBlob, config",
        source, manifestBlob, manifest, configBlob, config);
  }
}
