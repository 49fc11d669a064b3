package dev.graft.config;

import dev.graft.dockerfile.BuildContext;
import dev.graft.dockerfile.CopyStep;
import dev.graft.dockerfile.Dockerfile;
import dev.graft.dockerfile.DockerfileException;
import dev.graft.dockerfile.DockerfileImage;
import dev.graft.dockerfile.IgnoreRules;
import dev.graft.dockerfile.ImageSettings;
import dev.graft.oci.ImageRef;
import dev.graft.oci.Platform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An app's Dockerfile as a share of each platform's plan: FROM gives the base, LABEL/ENV/WORKDIR/
 * USER/CMD/ENTRYPOINT/EXPOSE/VOLUME/STOPSIGNAL/HEALTHCHECK the config under graft.yaml's, each
 * COPY source one layer (named after the source, so graft.yaml can replace it by name), and
 * {@code COPY --from} an image the builder. Home Assistant's build arguments are given as its
 * builder action gives them: {@code BUILD_ARCH} (the HA arch) and {@code BUILD_VERSION}.
 */
final class AppDockerfile {
  private final Dockerfile dockerfile;
  private final BuildContext context;
  private final IgnoreRules ignore;
  private final SourcePos ignorePos;
  private final DockerIgnore dockerIgnore;
  private final Map<String, String> args;
  private final String version;
  private final Set<String> ignoresUsed = new HashSet<>();
  private final Set<String> argsUsed = new HashSet<>();
  private final Set<String> notes = new LinkedHashSet<>();

  private AppDockerfile(Dockerfile dockerfile, BuildContext context, IgnoreRules ignore, SourcePos ignorePos,
      DockerIgnore dockerIgnore, Map<String, String> args, String version) {
    this.dockerfile = dockerfile;
    this.context = context;
    this.ignore = ignore;
    this.ignorePos = ignorePos;
    this.dockerIgnore = dockerIgnore;
    this.args = args;
    this.version = version;
  }

  /** The app's Dockerfile, or empty when there is none (problems, e.g. a syntax error, recorded in {@code r}). */
  static Optional<AppDockerfile> read(Path dir, String display, DockerfileOptions opts, String version, TypedYaml r) {
    Path file = dir.resolve(opts.file());
    String name = display + "/" + opts.file();
    if (!Files.isRegularFile(file)) {
      if (!opts.file().equals("Dockerfile")) {
        r.problem(SourcePos.of(name), "dockerfile.file", "no " + opts.file() + " in " + dir);
      }
      return Optional.empty();
    }
    IgnoreRules rules;
    try {
      rules = IgnoreRules.of(opts.ignore());
    } catch (IllegalArgumentException e) {
      r.problem(opts.ignorePos(), "dockerfile.ignore", e.getMessage());
      rules = IgnoreRules.NONE;
    }
    try {
      Dockerfile d = Dockerfile.parse(name, Files.readString(file, StandardCharsets.UTF_8));
      DockerIgnore di = DockerIgnore.read(dir, opts.file(), display, r);
      return Optional.of(new AppDockerfile(d, new BuildContext(dir), rules, opts.ignorePos(), di, opts.args(), version));
    } catch (DockerfileException e) {
      r.problem(SourcePos.line(e.file(), e.line()), "dockerfile", e.problem());
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  String name() {
    return dockerfile.name();
  }

  /**
   * Platform {@code p}'s share: {@code base}/{@code builder} are graft.yaml's (null: none), which
   * win over FROM and over an image the Dockerfile copies from.
   */
  AppContribution.Share share(Platform p, TypedYaml r, ImageRef base, ImageRef builder, AppLabels labels) {
    Map<String, String> buildArgs = new LinkedHashMap<>();
    HaArch.fromPlatform(p).ifPresent(a -> buildArgs.put("BUILD_ARCH", a.haName()));
    buildArgs.put("BUILD_VERSION", version);
    buildArgs.putAll(args);
    DockerfileImage.Evaluation e;
    try {
      e = DockerfileImage.evaluate(dockerfile, new DockerfileImage.Inputs(buildArgs, p, context, ignore));
    } catch (DockerfileException x) {
      r.problem(SourcePos.line(x.file(), x.line()), "dockerfile", x.problem());
      return new AppContribution.Share(null, null, null, List.of(), ImageConfigSpec.EMPTY);
    }
    e.problems().forEach(x -> r.problem(SourcePos.line(x.file(), x.line()), "dockerfile", x.problem()));
    notes.addAll(dockerfile.warnings());
    notes.addAll(e.notes());
    ignoresUsed.addAll(e.ignoresUsed());
    argsUsed.addAll(e.buildArgsUsed());
    ImageSettings s = e.image();
    SourcePos from = SourcePos.line(name(), s.fromLine());
    ImageRef dfBase = null;
    ConfigProblem noBase = null;
    if (s.base().isEmpty()) {
      noBase = ConfigProblem.at(from, "base", s.fromText() + " names no image for " + p + ": " + emptyBase(s.fromText()));
    } else if (s.base().get().equals("scratch")) {
      noBase = ConfigProblem.at(from, "base", "FROM scratch: graft builds on a base image; name one in FROM or give "
          + "base: in graft.yaml");
    } else {
      try {
        dfBase = ImageRef.parse(s.base().get());
      } catch (IllegalArgumentException x) {
        noBase = ConfigProblem.at(from, "base", "FROM " + s.base().get() + " is not an image reference: " + x.getMessage());
      }
    }
    ImageRef effectiveBase = base != null ? base : dfBase;
    Layers layers = layers(s, r, effectiveBase, builder);
    if (labels != null && "addon".equals(s.labels().get("io.hass.type"))) {
      notes.add(name() + ":" + s.labelLines().get("io.hass.type") + ": LABEL io.hass.type=\"addon\": graft labels "
          + "the image io.hass.type=app, as Home Assistant's app workflow does (set config.labels.io.hass.type in "
          + "graft.yaml to keep addon)");
    }
    return new AppContribution.Share(dfBase, noBase, layers.builder, layers.specs, config(s, labels));
  }

  /** Why FROM expanded to nothing, with the ways to fix it. */
  private static String emptyBase(String fromText) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)").matcher(fromText);
    String var = m.find() ? m.group(1) : "BUILD_FROM";
    return var + " has no value. Since Supervisor 2026.04.0 nothing passes " + var + " any more: give it a default "
        + "(ARG " + var + "=ghcr.io/home-assistant/base:3.23), pass --build-arg " + var + "=IMAGE, or set base: in "
        + "graft.yaml";
  }

  private record Layers(List<LayerSpec> specs, ImageRef builder) {}

  private Layers layers(ImageSettings s, TypedYaml r, ImageRef base, ImageRef graftBuilder) {
    List<LayerSpec> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    ImageRef builder = graftBuilder;
    CopyStep builderFrom = null;
    for (CopyStep c : s.copies()) {
      SourcePos at = SourcePos.line(name(), c.line());
      if (c.fromImage().isPresent()) {
        if (c.chmod().isPresent() || c.chown().isPresent()) {
          r.problem(at, "dockerfile", "COPY --from with --chmod/--chown is not supported by graft yet: set modes and "
              + "owners in the image the files come from");
          continue;
        }
        ImageRef img;
        try {
          img = ImageRef.parse(c.fromImage().get());
        } catch (IllegalArgumentException x) {
          r.problem(at, "dockerfile", "COPY --from=" + c.fromImage().get() + " is neither a stage nor an image: "
              + x.getMessage());
          continue;
        }
        LayerSource source;
        if (base != null && img.toString().equals(base.toString())) {
          source = new LayerSource.Base();
        } else if (builder == null) {
          builder = img;
          builderFrom = c;
          source = new LayerSource.Builder();
        } else if (builder.toString().equals(img.toString())) {
          source = new LayerSource.Builder();
        } else {
          r.problem(at, "dockerfile", "COPY --from=" + c.fromImage().get() + ": graft takes files from one builder "
              + "image, and " + (builderFrom == null ? "graft.yaml's builder is " + builder
                  : name() + ":" + builderFrom.line() + " already copies from " + builder)
              + "; take these files from that image too, or from the base");
          continue;
        }
        for (String src : c.sources()) {
          String to = c.intoDirectory() ? c.destination() + (c.destination().endsWith("/") ? "" : "/") : c.destination();
          out.add(new LayerSpec(unique(names, src, c.line()), source, List.of(PathSelector.of(src)), c.excludes(),
              Optional.of(to), ClosureMode.OFF, ClosureConflicts.COMPATIBLE, SpecialFiles.REFUSE, Optional.empty(), Optional.empty(), at,
              Prune.OFF));
        }
        continue;
      }
      for (String src : c.sources()) {
        if (!src.isEmpty() && dockerIgnore.ignores(src)) {
          r.problem(at, "dockerfile", c.text() + ": '" + src + "' is left out by .dockerignore");
          continue;
        }
        Path path = context.path(src);
        boolean dir = context.isDirectory(src);
        List<String> excludes = new ArrayList<>(dir ? dockerIgnore.within(src) : List.of());
        excludes.addAll(c.excludes());
        String to = dir || !c.intoDirectory() ? c.destination()
            : (c.destination().equals("/") ? "" : c.destination()) + "/" + path.getFileName();
        out.add(new LayerSpec(unique(names, src.isEmpty() ? "context" : src, c.line()),
            new LayerSource.Directory(path, c.chmod(), c.chown()), List.of(), excludes, Optional.of(to), ClosureMode.OFF,
            ClosureConflicts.COMPATIBLE, SpecialFiles.REFUSE, Optional.empty(), Optional.empty(), at, Prune.OFF));
      }
    }
    return new Layers(out, builder == graftBuilder ? null : builder);
  }

  /** A layer name from a source path ({@code rootfs}, {@code backend-dist}), unique among the Dockerfile's layers. */
  static String unique(Set<String> taken, String source, int line) {
    String base = source.replaceAll("^/+", "").replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[^A-Za-z0-9]+", "");
    if (base.isEmpty()) {
      base = "copy";
    }
    if (base.length() > 48) {
      base = base.substring(base.length() - 48).replaceAll("^[^A-Za-z0-9]+", "");
    }
    String name = base;
    if (taken.contains(name)) {
      name = base + "-L" + line;
    }
    for (int n = 2; taken.contains(name); n++) {
      name = base + "-L" + line + "-" + n;
    }
    taken.add(name);
    return name;
  }

  private ImageConfigSpec config(ImageSettings s, AppLabels labels) {
    Map<String, String> env = new LinkedHashMap<>();
    Set<String> expand = new HashSet<>();
    s.env().forEach((k, v) -> {
      env.put(k, v.text());
      if (v.template()) {
        expand.add(k);
      }
    });
    Map<String, String> l = labels == null ? s.labels() : labels.around(s.labels());
    return new ImageConfigSpec(env, s.workdir(), s.entrypoint(), s.cmd(), s.user(), s.ports(), l, s.volumes(),
        s.stopSignal(), s.healthcheck(), expand);
  }

  /** What is worth saying once every platform has been read: skipped lines, unused ignore patterns and build args. */
  List<String> notes(Set<String> givenArgs) {
    List<String> out = new ArrayList<>(notes);
    for (String p : ignore.patterns()) {
      if (!ignoresUsed.contains(p)) {
        out.add(ignorePos + ": dockerfile.ignore '" + p + "' matches no instruction of " + name());
      }
    }
    for (String a : givenArgs) {
      if (!argsUsed.contains(a)) {
        out.add("build argument " + a + " is not used: " + name() + " declares no ARG " + a);
      }
    }
    return out;
  }
}
