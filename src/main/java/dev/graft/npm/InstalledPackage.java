package dev.graft.npm;

import dev.graft.oci.Require;
import java.util.Optional;

/**
 * One package a {@code from: npm} layer put into the image, for a software bill of materials:
 * where it is ({@code /app/node_modules/express}), what it is, where its tarball came from,
 * its integrity and its declared license, all as the lockfile records them.
 */
public record InstalledPackage(String path, String name, String version, Optional<String> resolved,
    Optional<String> integrity, Optional<String> license) {
  public InstalledPackage {
    Require.nonNull("path, name, version, resolved, integrity, license",
        path, name, version, resolved, integrity, license);
  }
}
