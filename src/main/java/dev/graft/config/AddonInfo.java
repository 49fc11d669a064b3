package dev.graft.config;

import dev.graft.oci.Require;
import java.util.List;
import java.util.Optional;

/**
 * What graft reads from a Home Assistant add-on's {@code config.yaml}: its name, version,
 * description, arches, optional image name template ({@code {arch}} in it) and project URL.
 */
public record AddonInfo(String name, String version, String description, List<HaArch> arch,
    Optional<String> image, Optional<String> url) {

  public AddonInfo {
    Require.nonNull("name, version, description, image, url", name, version, description, image, url);
    arch = List.copyOf(arch);
  }
}
