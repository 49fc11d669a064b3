package dev.graft.oci;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where an image lives, in skopeo's transport syntax:
 * <ul>
 *   <li>{@code ghcr.io/org/app:tag}, {@code host:port/repo@sha256:…}, {@code docker://…}: a registry;
 *   <li>{@code oci:DIR[:TAG]}: an OCI image layout directory;
 *   <li>{@code oci-archive:FILE[:TAG]}: a tar of an OCI image layout;
 *   <li>{@code docker-archive:FILE[:NAME:TAG]}: a {@code docker save} tar (loadable by docker/podman load).
 * </ul>
 */
public sealed interface ImageRef {

  /** A registry reference, normalised like Docker: {@code node:18} is {@code docker.io/library/node:18}. */
  record Registry(String registry, String repository, String tag, Digest digest) implements ImageRef {
    public static final String DOCKER_HUB = "docker.io";

    public Registry {
      if (tag == null && digest == null) {
        tag = "latest";
      }
    }

    /** The tag, or the digest when pinned by digest: what to ask the registry for. */
    public String reference() {
      return digest != null ? digest.toString() : tag;
    }

    public Registry withTag(String newTag) {
      return new Registry(registry, repository, newTag, null);
    }

    public Registry withDigest(Digest d) {
      return new Registry(registry, repository, null, d);
    }

    @Override
    public String toString() {
      return registry + "/" + repository + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }
  }

  /** An OCI image layout directory; {@code tag} is matched against {@code org.opencontainers.image.ref.name}. */
  record OciLayout(Path dir, String tag) implements ImageRef {
    @Override
    public String toString() {
      return "oci:" + dir + (tag != null ? ":" + tag : "");
    }
  }

  /** A tar file holding an OCI image layout. */
  record OciArchive(Path file, String tag) implements ImageRef {
    @Override
    public String toString() {
      return "oci-archive:" + file + (tag != null ? ":" + tag : "");
    }
  }

  /** A {@code docker save} style tar; {@code name} is the repo:tag it is loaded as (may be null). */
  record DockerArchive(Path file, String name) implements ImageRef {
    @Override
    public String toString() {
      return "docker-archive:" + file + (name != null ? ":" + name : "");
    }
  }

  Pattern TRANSPORT = Pattern.compile("^([a-z][a-z0-9-]*):(?!//)(.*)$");
  Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  Pattern HOST = Pattern.compile("(?:[a-zA-Z0-9-]+(?:\\.[a-zA-Z0-9-]+)*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?");

  /** Parses an image reference, naming what is wrong and how to write it when it cannot. */
  static ImageRef parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty image reference");
    }
    if (text.startsWith("docker://")) {
      return parseRegistry(text.substring("docker://".length()), text);
    }
    var m = TRANSPORT.matcher(text);
    if (m.matches() && !looksLikeHostPort(text) && isTransport(m.group(1), m.group(2))) {
      String transport = m.group(1);
      String rest = m.group(2);
      return switch (transport) {
        case "oci" -> {
          PathAndTag pt = PathAndTag.split(rest, text);
          yield new OciLayout(Path.of(pt.path()), pt.tag());
        }
        case "oci-archive" -> {
          PathAndTag pt = PathAndTag.split(rest, text);
          yield new OciArchive(Path.of(pt.path()), pt.tag());
        }
        case "docker-archive" -> {
          int colon = rest.indexOf(':');
          String path = colon < 0 ? rest : rest.substring(0, colon);
          String name = colon < 0 ? null : rest.substring(colon + 1);
          if (path.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' names no file (write docker-archive:FILE[:NAME:TAG])");
          }
          yield new DockerArchive(Path.of(path), name == null || name.isEmpty() ? null : name);
        }
        default -> throw new IllegalArgumentException((OTHER_TRANSPORTS.contains(transport) ? "unsupported" : "unknown")
            + " transport '" + transport + ":' in '" + text
            + "' (graft knows registry references, docker://, oci:, oci-archive: and docker-archive:)");
      };
    }
    return parseRegistry(text, text);
  }

  /** skopeo transports graft does not handle: named in the error instead of read as NAME:TAG. */
  Set<String> OTHER_TRANSPORTS = Set.of(
      "dir", "docker-daemon", "containers-storage", "sif", "tarball", "ostree", "atomic");

  /**
   * Whether {@code word:rest} names a transport rather than a Docker-style {@code name:tag}
   * ({@code node:18-alpine}): it does when the word is a transport skopeo knows, or when the rest
   * cannot be a tag (it holds '/', '@' or other characters a tag may not have).
   */
  private static boolean isTransport(String word, String rest) {
    return word.equals("oci") || word.equals("oci-archive") || word.equals("docker-archive")
        || OTHER_TRANSPORTS.contains(word) || !TAG.matcher(rest.replaceFirst("@.*$", "")).matches();
  }

  private static boolean looksLikeHostPort(String text) {
    // "localhost:5000/app" or "10.0.0.1:5000/app" is a registry, not a transport.
    return text.matches("^[A-Za-z0-9.-]+:[0-9]+(/.*)?$");
  }

  private static Registry parseRegistry(String ref, String original) {
    if (ref.startsWith("/") || ref.startsWith(".") || ref.startsWith("~")) {
      throw new IllegalArgumentException("'" + original + "' looks like a path, not a registry image;"
          + " write oci:DIR or oci-archive:FILE (or docker-archive:FILE for output)");
    }
    String rest = ref;
    Digest digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      try {
        digest = Digest.parse(rest.substring(at + 1));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("bad digest in '" + original + "': " + e.getMessage());
      }
      rest = rest.substring(0, at);
    }
    String tag = null;
    int slash = rest.lastIndexOf('/');
    int colon = rest.lastIndexOf(':');
    if (colon > slash) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!TAG.matcher(tag).matches()) {
        throw new IllegalArgumentException("bad tag '" + tag + "' in '" + original
            + "' (a tag is up to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-')");
      }
    }
    String registry;
    String repository;
    int first = rest.indexOf('/');
    String head = first < 0 ? null : rest.substring(0, first);
    if (head != null && (head.contains(".") || head.contains(":") || head.equals("localhost"))) {
      registry = head;
      repository = rest.substring(first + 1);
      if (!HOST.matcher(registry).matches()) {
        throw new IllegalArgumentException("bad registry host '" + registry + "' in '" + original + "'");
      }
    } else {
      registry = Registry.DOCKER_HUB;
      repository = rest;
    }
    if (registry.equals("index.docker.io") || registry.equals("registry-1.docker.io")) {
      registry = Registry.DOCKER_HUB;
    }
    if (registry.equals(Registry.DOCKER_HUB) && !repository.contains("/")) {
      repository = "library/" + repository;
    }
    if (repository.isEmpty()) {
      throw new IllegalArgumentException("'" + original + "' names no repository");
    }
    for (String c : repository.split("/", -1)) {
      if (!COMPONENT.matcher(c).matches()) {
        String hint = c.equals(c.toLowerCase(Locale.ROOT)) ? "" : " (repository names are lower case)";
        throw new IllegalArgumentException("bad repository name '" + repository + "' in '" + original + "'" + hint
            + "; if you meant a local path, write oci:DIR or oci-archive:FILE");
      }
    }
    return new Registry(registry, repository, tag, digest);
  }

  /** A path with an optional {@code :TAG} suffix. */
  record PathAndTag(String path, String tag) {
    static PathAndTag split(String rest, String original) {
      int colon = rest.indexOf(':');
      String path = colon < 0 ? rest : rest.substring(0, colon);
      String tag = colon < 0 ? null : rest.substring(colon + 1);
      if (path.isEmpty()) {
        throw new IllegalArgumentException("'" + original + "' names no path");
      }
      if (tag != null && tag.isEmpty()) {
        tag = null;
      }
      return new PathAndTag(path, tag);
    }
  }
}
