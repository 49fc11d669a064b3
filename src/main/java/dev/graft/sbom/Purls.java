package dev.graft.sbom;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import dev.graft.oci.Digest;
import dev.graft.oci.Platform;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Package URLs (purl spec) for what an SBOM lists, the same in CycloneDX and SPDX documents. */
final class Purls {
  private Purls() {}

  /** pkg:oci/NAME@DIGEST?arch=…&os=…&repository_url=REPO, the purl spec's form for OCI images. */
  static String oci(String image, Digest digest, Platform platform) {
    String repo = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
    int colon = repo.lastIndexOf(':');
    if (colon > repo.lastIndexOf('/')) {
      repo = repo.substring(0, colon);
    }
    String name = repo.substring(repo.lastIndexOf('/') + 1).toLowerCase(java.util.Locale.ROOT);
    Map<String, String> q = new TreeMap<>();
    q.put("arch", platform.architecture());
    q.put("os", platform.os());
    if (repo.contains("/") && !repo.startsWith("oci:") && !repo.startsWith("oci-archive:")) {
      q.put("repository_url", repo);
    }
    return purl("oci", null, name.isEmpty() ? "image" : name, digest.toString(), q);
  }

  /** pkg:apk/alpine/NAME@VERSION?arch=…&distro=alpine-3.18.4, or pkg:deb/debian/… */
  static String os(OsPackage p, Optional<OsPackages.Distro> distro) {
    Map<String, String> q = new TreeMap<>();
    if (!p.arch().isEmpty()) {
      q.put("arch", p.arch());
    }
    distro.ifPresent(d -> q.put("distro", d.id() + "-" + d.versionId()));
    String namespace = distro.map(OsPackages.Distro::id).orElse(p.type().equals("apk") ? "alpine" : "debian");
    return purl(p.type(), namespace, p.name(), p.version(), q);
  }

  /** pkg:npm/%40SCOPE/NAME@VERSION; the package must have a version. */
  static String npm(NpmComponent p) {
    String name = p.name();
    String scope = null;
    if (name.startsWith("@") && name.contains("/")) {
      scope = name.substring(0, name.indexOf('/'));
      name = name.substring(name.indexOf('/') + 1);
    }
    return purl("npm", scope, name, p.version(), Map.of());
  }

  static String generic(String name, String version) {
    return purl("generic", null, name, version, Map.of());
  }

  private static String purl(String type, String namespace, String name, String version, Map<String, String> q) {
    try {
      return new PackageURL(type, namespace, name, version, q.isEmpty() ? null : new TreeMap<>(q), null).canonicalize();
    } catch (MalformedPackageURLException e) {
      throw new IllegalArgumentException("cannot make a package URL for " + type + " " + name + ": " + e.getMessage(), e);
    }
  }
}
