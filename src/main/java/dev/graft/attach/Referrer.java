package dev.graft.attach;

import dev.graft.oci.Descriptor;
import java.util.Objects;

/** One entry of a referrers list: the referrer manifest's descriptor and its artifact type. */
public record Referrer(Descriptor descriptor, String artifactType) {
  public Referrer {
    Objects.requireNonNull(descriptor, "descriptor");
    artifactType = artifactType == null ? "" : artifactType;
  }
}
