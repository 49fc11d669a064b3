package dev.graft.dockerfile;

import dev.graft.dockerfile.ShellWords.Unknown;
import dev.graft.layer.TarPaths;
import dev.graft.oci.Healthcheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Interprets the chain of stages that makes the last one, for one platform: global ARGs, then
 * each stage's instructions in order, a stage built {@code FROM} an earlier one continuing from
 * it. Problems are collected (every refused instruction is reported, not only the first).
 */
final class StageEvaluator {
  private static final Pattern PORT = Pattern.compile("(\\d+)(?:-(\\d+))?(?:/(tcp|udp|sctp))?");
  private static final Pattern SIGNAL = Pattern.compile("SIG[A-Z0-9+-]+|[0-9]+");
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");
  static final Map<String, Set<String>> FLAGS = Map.of(
      "FROM", Set.of("platform"),
      "COPY", Set.of("from", "chown", "chmod", "link", "exclude", "parents"),
      "ADD", Set.of("chown", "chmod", "link", "exclude", "checksum", "keep-git-dir", "unpack"),
      "RUN", Set.of("mount", "network", "security", "device"),
      "HEALTHCHECK", Set.of("interval", "timeout", "start-period", "start-interval", "retries"));

  final Dockerfile df;
  final Stages stages;
  final DockerfileImage.Inputs in;
  final Map<String, String> automatic;
  final List<DockerfileException> problems = new ArrayList<>();
  final List<String> notes = new ArrayList<>();
  final Set<String> ignoresUsed = new HashSet<>();
  final Set<String> argsUsed = new HashSet<>();
  final Scope global = Scope.empty();

  StageEvaluator(Dockerfile df, Stages stages, DockerfileImage.Inputs in) {
    this.df = df;
    this.stages = stages;
    this.in = in;
    this.automatic = DockerfileImage.platformArgs(in.platform());
  }

  /** The settings a stage leaves behind, built up instruction by instruction. */
  static final class Settings {
    String base;
    String fromText;
    int fromLine;
    final Map<String, ShellWords.Value> env = new LinkedHashMap<>();
    final Map<String, String> labels = new LinkedHashMap<>();
    final Map<String, Integer> labelLines = new LinkedHashMap<>();
    String workdir;
    String user;
    List<String> entrypoint;
    List<String> cmd;
    final List<String> ports = new ArrayList<>();
    final List<String> volumes = new ArrayList<>();
    String stopSignal;
    Healthcheck healthcheck;
    List<String> shell = List.of("/bin/sh", "-c");
    final List<CopyStep> copies = new ArrayList<>();

    ImageSettings freeze() {
      return new ImageSettings(Optional.ofNullable(base), fromText, fromLine, env, labels, labelLines,
          Optional.ofNullable(workdir), Optional.ofNullable(user), Optional.ofNullable(entrypoint),
          Optional.ofNullable(cmd), ports, volumes, Optional.ofNullable(stopSignal), Optional.ofNullable(healthcheck),
          copies);
    }
  }

  DockerfileImage.Evaluation run() {
    automatic.forEach(global::arg); // usable in FROM without being declared
    for (Instruction a : stages.globalArgs()) {
      if (!ignored(a)) {
        declareArgs(a, global, null);
      }
    }
    Settings s = stage(stages.last(), new HashSet<>());
    return new DockerfileImage.Evaluation(s.freeze(), problems, notes, ignoresUsed, argsUsed);
  }

  /** A stage's settings; {@code seen} guards against a stage that (through others) builds on itself. */
  private Settings stage(Stage st, Set<Integer> seen) {
    seen.add(st.index());
    Settings s = from(st, seen);
    Scope scope = new Scope(s.env);
    boolean cmdSet = false;
    for (Instruction i : st.body()) {
      if (ignored(i) || !flagsKnown(i)) {
        continue;
      }
      try {
        switch (i.keyword()) {
          case "ARG" -> declareArgs(i, scope, global);
          case "ENV" -> {
            for (NameValues.Pair p : NameValues.pairs(i.args(), df.escape(), "ENV")) {
              String name = word(p.name(), scope);
              ShellWords.Result v = ShellWords.process(p.value(), df.escape(), scope, Unknown.DEFER);
              s.env.remove(name); // a later ENV moves the name to the end, as Docker's config lists it
              s.env.put(name, new ShellWords.Value(v.text(), v.template()));
            }
          }
          case "LABEL" -> {
            for (NameValues.Pair p : NameValues.pairs(i.args(), df.escape(), "LABEL")) {
              String name = word(p.name(), scope);
              s.labels.put(name, word(p.value(), scope));
              s.labelLines.put(name, i.line());
            }
          }
          case "WORKDIR" -> s.workdir = workdir(s.workdir, word(i.args(), scope));
          case "USER" -> s.user = nonEmpty(word(i.args(), scope), "USER needs a user (name, uid, or uid:gid)");
          case "CMD" -> {
            s.cmd = command(i, s.shell);
            cmdSet = true;
          }
          case "ENTRYPOINT" -> {
            s.entrypoint = command(i, s.shell);
            if (!cmdSet) {
              s.cmd = null; // ENTRYPOINT drops a CMD set before this stage, as docker build does
            }
          }
          case "SHELL" -> s.shell = i.json().filter(j -> !j.isEmpty()).orElseThrow(() ->
              new IllegalArgumentException("SHELL needs the exec form, e.g. SHELL [\"/bin/bash\", \"-c\"]"));
          case "EXPOSE" -> {
            for (String w : i.words()) {
              for (String port : ShellWords.process(w, df.escape(), scope, Unknown.ERROR).words()) {
                ports(port).stream().filter(x -> !s.ports.contains(x)).forEach(s.ports::add);
              }
            }
          }
          case "VOLUME" -> {
            for (String v : i.json().orElse(i.words())) {
              String path = word(v, scope);
              if (!path.startsWith("/")) {
                throw new IllegalArgumentException("VOLUME " + path + " must be an absolute path");
              }
              if (!s.volumes.contains(path)) {
                s.volumes.add(path);
              }
            }
          }
          case "STOPSIGNAL" -> {
            String sig = word(i.args(), scope);
            if (!SIGNAL.matcher(sig).matches()) {
              throw new IllegalArgumentException("STOPSIGNAL " + sig + " is not a signal name (SIGTERM) or number");
            }
            s.stopSignal = sig;
          }
          case "HEALTHCHECK" -> s.healthcheck = healthcheck(i, s.shell);
          case "COPY", "ADD" -> new CopyReader(this, scope, s).read(i, st);
          case "RUN" -> problem(i, RunAdvice.refusal(i));
          case "MAINTAINER" -> notes.add(at(i) + "MAINTAINER is deprecated and not recorded by graft; use LABEL "
              + "org.opencontainers.image.authors=\"…\"");
          case "ONBUILD" -> notes.add(at(i) + "ONBUILD is not recorded by graft (it only affects images built FROM "
              + "this one)");
          default -> problem(i, i.keyword() + " is not supported here");
        }
      } catch (ShellWords.WordException | IllegalArgumentException e) {
        problem(i, i.keyword() + ": " + e.getMessage());
      }
    }
    return s;
  }

  /** FROM: the base image, or the settings of the earlier stage it names. */
  private Settings from(Stage st, Set<Integer> seen) {
    Instruction from = st.from();
    String image;
    try {
      image = word(st.image(), global);
    } catch (ShellWords.WordException e) {
      problem(from, "FROM " + st.image() + ": " + e.getMessage());
      image = "";
    }
    from.flag("platform").ifPresent(p -> {
      try {
        String platform = word(p, global);
        if (!platform.equals(automatic.get("TARGETPLATFORM"))) {
          problem(from, "FROM --platform=" + platform + " in a build for " + automatic.get("TARGETPLATFORM")
              + ": graft builds each platform on its own base; drop --platform (or use $TARGETPLATFORM)");
        }
      } catch (ShellWords.WordException e) {
        problem(from, "FROM --platform: " + e.getMessage());
      }
    });
    Optional<Stage> earlier = image.isEmpty() ? Optional.empty() : stages.find(image, st.index());
    if (earlier.isPresent() && !seen.contains(earlier.get().index())) {
      Settings parent = stage(earlier.get(), seen);
      return parent;
    }
    Settings s = new Settings();
    s.base = image.isEmpty() ? null : image;
    s.fromText = from.text();
    s.fromLine = from.line();
    return s;
  }

  /**
   * ARG in the global scope ({@code into == global}) or in a stage: the build arg if given, else
   * the default, else (in a stage) the global ARG's value; an automatic platform arg keeps its value.
   */
  private void declareArgs(Instruction i, Scope into, Scope globalScope) {
    try {
      for (NameValues.Pair p : NameValues.args(i.args(), df.escape())) {
        String name = p.name();
        if (automatic.containsKey(name)) {
          into.arg(name, automatic.get(name));
        } else if (in.buildArgs().containsKey(name)) {
          argsUsed.add(name);
          into.arg(name, in.buildArgs().get(name));
        } else if (p.value() != null) {
          into.arg(name, word(p.value(), into));
        } else if (globalScope != null && globalScope.hasArg(name)) {
          into.arg(name, globalScope.argValue(name).orElse(null));
        } else {
          into.arg(name, null);
        }
      }
    } catch (ShellWords.WordException | IllegalArgumentException e) {
      problem(i, "ARG: " + e.getMessage());
    }
  }

  private boolean ignored(Instruction i) {
    Optional<String> rule = in.ignore().match(i);
    rule.ifPresent(r -> {
      ignoresUsed.add(r);
      notes.add(at(i) + i.text() + " skipped: graft.yaml's dockerfile.ignore '" + r + "' takes it over");
    });
    return rule.isPresent();
  }

  private boolean flagsKnown(Instruction i) {
    Set<String> allowed = FLAGS.getOrDefault(i.keyword(), Set.of());
    for (Flag f : i.flags()) {
      if (!allowed.contains(f.name())) {
        problem(i, "unknown flag " + f + " for " + i.keyword()
            + (allowed.isEmpty() ? " (it takes none)" : " (it takes --" + String.join(", --", new java.util.TreeSet<>(allowed)) + ")"));
        return false;
      }
    }
    return true;
  }

  String word(String raw, Scope scope) {
    return ShellWords.literal(raw, df.escape(), scope);
  }

  private static String nonEmpty(String s, String message) {
    if (s.isBlank()) {
      throw new IllegalArgumentException(message);
    }
    return s;
  }

  /** WORKDIR: a relative path continues the previous one; the result is clean and absolute. */
  static String workdir(String current, String path) {
    if (path.isEmpty()) {
      throw new IllegalArgumentException("WORKDIR needs a path");
    }
    String joined = path.startsWith("/") ? path : (current == null ? "/" : current) + "/" + path;
    return TarPaths.clean(joined);
  }

  /** CMD / ENTRYPOINT: the exec form as written, the shell form through the SHELL (variables left to the shell). */
  private static List<String> command(Instruction i, List<String> shell) {
    if (i.json().isPresent()) {
      return i.json().get();
    }
    List<String> c = new ArrayList<>(shell);
    c.add(i.args());
    return c;
  }

  /** EXPOSE's port forms: {@code 8099}, {@code 8099/tcp}, {@code 53/udp}, ranges {@code 8000-8010/tcp}. */
  static List<String> ports(String spec) {
    Matcher m = PORT.matcher(spec.toLowerCase(java.util.Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + spec + "' is not a port (8099, 8099/tcp, 53/udp, 8000-8010)");
    }
    int from = Integer.parseInt(m.group(1));
    int to = m.group(2) == null ? from : Integer.parseInt(m.group(2));
    if (from < 1 || to > 65535 || to < from || to - from > 1000) {
      throw new IllegalArgumentException("'" + spec + "' is not a port range within 1-65535 (at most 1000 ports)");
    }
    String proto = m.group(3) == null ? "tcp" : m.group(3);
    List<String> out = new ArrayList<>();
    for (int p = from; p <= to; p++) {
      out.add(p + "/" + proto);
    }
    return out;
  }

  private Healthcheck healthcheck(Instruction i, List<String> shell) {
    String args = i.args().strip();
    String type = args.split("\\s+", 2)[0].toUpperCase(java.util.Locale.ROOT);
    if (type.equals("NONE")) {
      if (!i.flags().isEmpty() || !args.equalsIgnoreCase("NONE")) {
        throw new IllegalArgumentException("HEALTHCHECK NONE takes no other arguments");
      }
      return new Healthcheck(List.of("NONE"), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }
    if (!type.equals("CMD")) {
      throw new IllegalArgumentException("HEALTHCHECK takes NONE or CMD …, got '" + type + "'");
    }
    String command = args.substring(3).strip();
    if (command.isEmpty()) {
      throw new IllegalArgumentException("HEALTHCHECK CMD needs a command");
    }
    List<String> test = new ArrayList<>();
    if (i.json().isPresent()) {
      test.add("CMD");
      test.addAll(i.json().get());
    } else {
      test.add("CMD-SHELL");
      test.add(command);
    }
    i.flag("start-interval").ifPresent(v -> notes.add(at(i) + "HEALTHCHECK --start-interval is not recorded by "
        + "graft"));
    Optional<Integer> retries = i.flag("retries").map(r -> {
      try {
        int n = Integer.parseInt(r);
        if (n < 0) {
          throw new NumberFormatException();
        }
        return n;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--retries=" + r + " is not a count");
      }
    });
    return new Healthcheck(test, duration(i, "interval"), duration(i, "timeout"), duration(i, "start-period"),
        retries);
  }

  /** Go durations, as Docker reads them: 30s, 1m30s, 500ms. */
  static Optional<Duration> duration(Instruction i, String flag) {
    return i.flag(flag).map(v -> {
      Matcher m = DURATION.matcher(v);
      Duration d = Duration.ZERO;
      int end = 0;
      while (m.find() && m.start() == end) {
        double n = Double.parseDouble(m.group(1));
        long nanos = switch (m.group(2)) {
          case "ns" -> 1L;
          case "us", "µs" -> 1_000L;
          case "ms" -> 1_000_000L;
          case "s" -> 1_000_000_000L;
          case "m" -> 60_000_000_000L;
          default -> 3_600_000_000_000L;
        };
        d = d.plusNanos(Math.round(n * nanos));
        end = m.end();
      }
      if (end != v.length() || v.isEmpty()) {
        throw new IllegalArgumentException("--" + flag + "=" + v + " is not a duration (30s, 1m30s, 500ms)");
      }
      return d;
    });
  }

  void problem(Instruction i, String message) {
    problems.add(new DockerfileException(df.name(), i.line(), message));
  }

  String at(Instruction i) {
    return df.name() + ":" + i.line() + ": ";
  }
}
