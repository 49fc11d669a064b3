package dev.graft.config;

import dev.graft.config.YamlNode.MapNode;
import dev.graft.oci.ImageRef;
import dev.graft.oci.Platform;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Home Assistant app's contribution to each platform's plan: only its arches may be built;
 * its Dockerfile (when there is no legacy build.yaml) gives base, layers and config; the labels
 * Home Assistant's workflow sets go around the Dockerfile's.
 */
final class AppShare implements AppContribution {
  private final AddonInfo info;
  private final YamlNode configNode;
  private final Optional<AppDockerfile> dockerfile;
  private final boolean legacy;
  private final Instant created;
  private final Map<String, String> env;
  private final java.util.Set<String> givenArgs;

  /** {@code givenArgs}: the build arguments graft.yaml and --build-arg give (for "not used" notes). */
  AppShare(AddonInfo info, YamlNode configNode, Optional<AppDockerfile> dockerfile, boolean legacy, Instant created,
      Map<String, String> env, java.util.Set<String> givenArgs) {
    this.givenArgs = java.util.Set.copyOf(givenArgs);
    this.info = info;
    this.configNode = configNode;
    this.dockerfile = dockerfile;
    this.legacy = legacy;
    this.created = created;
    this.env = env;
  }

  /** Every platform built must be one of the app's arches: HA would never pull another. */
  @Override
  public ConfigProblem refusal(Platform p) {
    Optional<HaArch> a = HaArch.fromPlatform(p);
    if (a.isPresent() && info.arch().contains(a.get())) {
      return null;
    }
    YamlNode at = ((MapNode) configNode).get("arch");
    return ConfigProblem.at(at.pos(), "arch", "platform " + p + a.map(x -> " (" + x.haName() + ")").orElse("")
        + " is not in the app's arch list (" + String.join(", ", info.arch().stream().map(HaArch::haName).toList())
        + ")");
  }

  @Override
  public Share share(Platform p, TypedYaml r, ImageRef base, ImageRef builder) {
    AppLabels labels = AppLabels.of(info, p, created, env);
    if (dockerfile.isPresent()) {
      return dockerfile.get().share(p, r, base, builder, labels);
    }
    ConfigProblem noBase = ConfigProblem.at(configNode.pos(), "base", legacy
        ? "no base image for add-on '" + info.name() + "': give build_from per arch in build.yaml, or base: in "
            + "graft.yaml (e.g. base: ghcr.io/home-assistant/base:3.23)"
        : "no base image for app '" + info.name() + "': the app has no Dockerfile (FROM ghcr.io/home-assistant/"
            + "base:3.23), and graft.yaml names no base:");
    ImageConfigSpec config = new ImageConfigSpec(Map.of(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), List.of(), labels.around(Map.of()), List.of(), Optional.empty(), Optional.empty());
    return new Share(null, noBase, null, List.of(), config);
  }

  @Override
  public List<String> closingNotes() {
    return dockerfile.map(d -> d.notes(givenArgs)).orElse(List.of());
  }
}
