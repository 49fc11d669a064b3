package dev.graft.dockerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Dockerfile split into its global {@code ARG}s (before the first {@code FROM}) and its stages.
 * Only ARG may come before the first FROM; stage names are unique.
 */
public record Stages(List<Instruction> globalArgs, List<Stage> stages) {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9._-]*");

  public Stages {
    globalArgs = List.copyOf(globalArgs);
    stages = List.copyOf(stages);
  }

  public static Stages of(Dockerfile d) {
    List<Instruction> global = new ArrayList<>();
    List<Stage> stages = new ArrayList<>();
    Instruction from = null;
    String image = null;
    String name = null;
    List<Instruction> body = new ArrayList<>();
    for (Instruction i : d.instructions()) {
      if (i.keyword().equals("FROM")) {
        if (from != null) {
          stages.add(new Stage(stages.size(), Optional.ofNullable(name), image, from, body));
        }
        List<String> w = i.words();
        if (w.size() != 1 && !(w.size() == 3 && w.get(1).equalsIgnoreCase("AS"))) {
          throw new DockerfileException(d.name(), i.line(), "FROM takes an image and an optional 'AS name' "
              + "(FROM image [AS name]), got: " + i.text());
        }
        from = i;
        image = w.get(0);
        name = w.size() == 3 ? w.get(2).toLowerCase(Locale.ROOT) : null;
        if (name != null && !NAME.matcher(name).matches()) {
          throw new DockerfileException(d.name(), i.line(), "invalid stage name '" + w.get(2) + "': letters, "
              + "digits, '.', '_' and '-', starting with a letter");
        }
        for (Stage s : stages) {
          if (name != null && s.name().filter(name::equals).isPresent()) {
            throw new DockerfileException(d.name(), i.line(), "duplicate stage name '" + name + "' (first at "
                + d.name() + ":" + s.from().line() + ")");
          }
        }
        body = new ArrayList<>();
      } else if (from == null) {
        if (!i.keyword().equals("ARG")) {
          throw new DockerfileException(d.name(), i.line(), i.keyword() + " before the first FROM: only ARG may "
              + "come before FROM");
        }
        global.add(i);
      } else {
        body.add(i);
      }
    }
    if (from == null) {
      throw new DockerfileException(d.name(), 0, "no FROM instruction: the Dockerfile names no base image");
    }
    stages.add(new Stage(stages.size(), Optional.ofNullable(name), image, from, body));
    return new Stages(global, stages);
  }

  /** The stage a {@code FROM} or {@code COPY --from} names: by name (any case) or index, if it is one. */
  public Optional<Stage> find(String ref, int before) {
    String r = ref.toLowerCase(Locale.ROOT);
    for (Stage s : stages) {
      if (s.index() < before && (s.name().filter(r::equals).isPresent() || r.equals(String.valueOf(s.index())))) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** The last stage: what {@code docker build} builds without {@code --target}. */
  public Stage last() {
    return stages.get(stages.size() - 1);
  }
}
