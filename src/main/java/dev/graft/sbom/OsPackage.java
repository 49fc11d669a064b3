package dev.graft.sbom;

import java.util.List;
import java.util.Objects;

/**
 * A package of the image's distribution as its package database records it: Alpine's apk
 * ({@code /lib/apk/db/installed}) or Debian's dpkg ({@code /var/lib/dpkg/status}).
 *
 * @param type the purl type: "apk" or "deb"
 * @param license the license text the database holds (apk's {@code L:}), empty when it holds none
 * @param files the image paths the database says the package installed (apk only; empty for dpkg)
 */
public record OsPackage(String type, String name, String version, String arch, String license, String origin,
    List<String> files) {
  public OsPackage {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(name, "name");
    version = version == null ? "" : version;
    arch = arch == null ? "" : arch;
    license = license == null ? "" : license;
    origin = origin == null ? "" : origin;
    files = List.copyOf(files);
  }
}
