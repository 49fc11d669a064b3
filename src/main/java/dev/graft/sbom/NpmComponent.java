package dev.graft.sbom;

import java.util.Objects;

/**
 * An npm package installed in an image: where ({@code path}, its directory), what (name,
 * version, license from its package.json) and, when npm's lockfile records them, the
 * {@code integrity} (SRI, e.g. "sha512-…") and {@code resolved} URL of the tarball it came from.
 */
public record NpmComponent(String path, String name, String version, String license, String integrity,
    String resolved) {
  public NpmComponent {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(name, "name");
    version = version == null ? "" : version;
    license = license == null ? "" : license;
    integrity = integrity == null ? "" : integrity;
    resolved = resolved == null ? "" : resolved;
  }
}
