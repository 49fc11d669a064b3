package dev.graft.dockerfile;

import dev.graft.oci.Platform;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Entry point of the package: what a Dockerfile's last stage makes for one platform, as
 * {@code docker build --platform P} would, but without running anything. Instructions that would
 * need a container ({@code RUN}, {@code COPY --from} a stage that runs something, {@code ADD} of a
 * URL or an archive) are problems that say what to write in graft.yaml instead, unless graft.yaml
 * takes them over ({@link IgnoreRules}).
 */
public final class DockerfileImage {
  private DockerfileImage() {}

  /**
   * What the build is given: {@code --build-arg} values (with Home Assistant's {@code BUILD_ARCH}
   * and {@code BUILD_VERSION} among them), the target platform (BuildKit's {@code TARGET*} and
   * {@code BUILD*} arguments; the build platform is the target, since graft runs nothing), the
   * context the copies read and the instructions graft.yaml takes over.
   */
  public record Inputs(Map<String, String> buildArgs, Platform platform, BuildContext context, IgnoreRules ignore) {
    public Inputs {
      buildArgs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(buildArgs));
      Objects.requireNonNull(platform, "platform");
      Objects.requireNonNull(context, "context");
      Objects.requireNonNull(ignore, "ignore");
    }
  }

  /**
   * The result: the image's settings, every problem found (each at its line), notes for the user
   * (skipped instructions), and which ignore patterns and build args were used, so unused ones can
   * be pointed out once over all platforms.
   */
  public record Evaluation(ImageSettings image, List<DockerfileException> problems, List<String> notes,
      Set<String> ignoresUsed, Set<String> buildArgsUsed) {
    public Evaluation {
      problems = List.copyOf(problems);
      notes = List.copyOf(notes);
      ignoresUsed = Set.copyOf(ignoresUsed);
      buildArgsUsed = Set.copyOf(buildArgsUsed);
    }
  }

  public static Evaluation evaluate(Dockerfile dockerfile, Inputs inputs) {
    return new StageEvaluator(dockerfile, Stages.of(dockerfile), inputs).run();
  }

  /** BuildKit's automatic platform arguments for a target platform. */
  static Map<String, String> platformArgs(Platform target) {
    Platform p = target.normalized();
    String variant = p.variant() == null || p.architecture().equals("arm64") && p.variant().equals("v8") ? ""
        : p.variant();
    String platform = p.os() + "/" + p.architecture() + (variant.isEmpty() ? "" : "/" + variant);
    Map<String, String> m = new LinkedHashMap<>();
    for (String side : List.of("TARGET", "BUILD")) {
      m.put(side + "PLATFORM", platform);
      m.put(side + "OS", p.os());
      m.put(side + "ARCH", p.architecture());
      m.put(side + "VARIANT", variant);
    }
    return m;
  }
}
