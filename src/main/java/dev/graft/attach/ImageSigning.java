package dev.graft.attach;

import dev.graft.oci.Blob;
import dev.graft.oci.Descriptor;
import dev.graft.oci.Digest;
import dev.graft.oci.Index;
import dev.graft.oci.MediaTypes;
import dev.graft.oci.OciFormatException;
import dev.graft.sign.PayloadSigner;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Signs an image the way Home Assistant's pipelines do with cosign: every platform manifest of an
 * index and the index itself (a single manifest: just that), each under its own {@code .sig} tag.
 */
public final class ImageSigning {
  private ImageSigning() {}

  /** Signs {@code root} (already in {@code store}) and, for an index, each manifest it lists. */
  public static List<CosignSignatures.Signed> sign(ArtifactStore store, Digest root, PayloadSigner signer) throws IOException {
    Blob rootBlob = store.manifest(root).orElseThrow(() -> new OciFormatException(store + " has no manifest " + root
        + " to sign"));
    List<CosignSignatures.Signed> out = new ArrayList<>();
    if (MediaTypes.isIndex(rootBlob.mediaType())) {
      for (Descriptor child : Index.parse(rootBlob).manifests()) {
        if (MediaTypes.isManifest(child.mediaType())) {
          out.add(CosignSignatures.sign(store, child, signer));
        }
      }
    }
    out.add(CosignSignatures.sign(store, rootBlob.descriptor(), signer));
    return out;
  }
}
