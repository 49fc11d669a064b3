package dev.graft.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What graft reads from a Home Assistant add-on's {@code config.yaml}: its name, version,
 * description, arches, optional image name template ({@code {arch}} in it) and project URL.
 */
public record AddonInfo(String name, String version, String description, List<HaArch> arch,
    Optional<String> image, Optional<String> url) {

  public AddonInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(description, "description");
    arch = List.copyOf(arch);
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(url, "url");
  }
}
