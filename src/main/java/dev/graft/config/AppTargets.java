package dev.graft.config;

import dev.graft.config.YamlNode.Scalar;
import dev.graft.config.YamlNode.ScalarType;
import java.util.ArrayList;
import java.util.List;

/**
 * Where an app's images go, as Home Assistant's builder publishes them: one image per arch
 * ({@code ghcr.io/acme/{arch}-app}) and the generic multi-arch index ({@code ghcr.io/acme/app})
 * that config.yaml's {@code image} names (or the legacy {@code {arch}} form, from which the
 * generic name is the one without {@code {arch}-}). A local target ({@code oci:},
 * {@code oci-archive:}, {@code docker-archive:}) gets one index (or image) over the platforms.
 */
final class AppTargets {
  private AppTargets() {}

  /** The {@code to} entries for one name: the per-arch template and the generic index, as nodes at {@code pos}. */
  static List<YamlNode> of(String name, SourcePos pos) {
    List<String> refs = new ArrayList<>();
    boolean local = name.startsWith("oci:") || name.startsWith("oci-archive:") || name.startsWith("docker-archive:");
    if (name.contains(RefTemplate.ARCH)) {
      refs.add(name);
      String generic = name.replace(RefTemplate.ARCH + "-", "").replace("-" + RefTemplate.ARCH, "")
          .replace(RefTemplate.ARCH, "");
      if (!generic.endsWith("/") && !generic.isEmpty() && !generic.equals(name)) {
        refs.add(generic);
      }
    } else if (local) {
      refs.add(name);
    } else {
      refs.add(perArch(name));
      refs.add(name);
    }
    return refs.stream().map(r -> (YamlNode) new Scalar(pos, ScalarType.STRING, r)).toList();
  }

  /** {@code ghcr.io/acme/app[:tag]} → {@code ghcr.io/acme/{arch}-app[:tag]}. */
  static String perArch(String name) {
    String prefix = name.startsWith("docker://") ? "docker://" : "";
    String n = name.substring(prefix.length());
    int slash = n.lastIndexOf('/');
    return prefix + n.substring(0, slash + 1) + RefTemplate.ARCH + "-" + n.substring(slash + 1);
  }
}
