package dev.graft.config;

import dev.graft.oci.Platform;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The labels an app's images get, as Home Assistant's app workflow and builder action give them:
 * {@code over} are what the workflow passes as {@code --label} (so they win over the Dockerfile's
 * LABELs): {@code io.hass.type=app}, {@code io.hass.name}, {@code .description}, {@code .url},
 * {@code .arch}, {@code .version} and {@code org.opencontainers.image.created}, {@code .version},
 * and {@code .source} (the GitHub repository, under GitHub Actions); {@code under} are graft's own
 * OCI labels from config.yaml (title, description, url, and source from {@code url} outside
 * GitHub), which a Dockerfile LABEL replaces. graft.yaml's labels win over both.
 */
record AppLabels(Map<String, String> under, Map<String, String> over) {
  AppLabels {
    under = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(under));
    over = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(over));
  }

  static AppLabels of(AddonInfo info, Platform p, Instant created, Map<String, String> env) {
    Map<String, String> under = new LinkedHashMap<>();
    under.put("org.opencontainers.image.title", info.name());
    under.put("org.opencontainers.image.description", info.description());
    info.url().ifPresent(u -> under.put("org.opencontainers.image.url", u));
    String repo = env.get("GITHUB_REPOSITORY");
    String server = env.getOrDefault("GITHUB_SERVER_URL", "https://github.com");
    boolean github = repo != null && !repo.isBlank();
    if (!github) {
      info.url().ifPresent(u -> under.put("org.opencontainers.image.source", u));
    }
    Map<String, String> over = new LinkedHashMap<>();
    over.put("io.hass.type", "app");
    over.put("io.hass.name", info.name());
    over.put("io.hass.description", info.description());
    info.url().ifPresent(u -> over.put("io.hass.url", u));
    HaArch.fromPlatform(p).ifPresent(a -> over.put("io.hass.arch", a.haName()));
    over.put("io.hass.version", info.version());
    over.put("org.opencontainers.image.created", created.toString());
    over.put("org.opencontainers.image.version", info.version());
    if (github) {
      over.put("org.opencontainers.image.source", server.replaceAll("/+$", "") + "/" + repo.strip());
    }
    return new AppLabels(under, over);
  }

  /** {@code under}, then {@code dockerfile}'s, then {@code over}. */
  Map<String, String> around(Map<String, String> dockerfile) {
    Map<String, String> all = new LinkedHashMap<>(under);
    all.putAll(dockerfile);
    all.putAll(over);
    return all;
  }
}
