package dev.graft.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Keeps the host files a build reads inside the project. A graft.yaml is code from whoever wrote
 * it (a pull request, a copied example): {@code from: ../../../etc} would copy the host's files
 * into an image that is then pushed. So a local {@code from:} directory must lie inside
 * graft.yaml's directory (the add-on's, for {@code --addon}), symlinks resolved, unless the person
 * running graft allows a directory outside it explicitly ({@code --allow-outside DIR}).
 */
public final class LocalSources {
  private LocalSources() {}

  /** @throws ConfigException naming each layer whose directory lies outside, and the flag that allows it */
  public static void requireInside(BuildPlan plan, Path projectDir, List<Path> allowed) {
    Path project = real(projectDir);
    List<Path> allowedReal = allowed.stream().map(LocalSources::real).toList();
    Set<ConfigProblem> problems = new LinkedHashSet<>();
    for (PlatformPlan p : plan.platforms()) {
      for (LayerSpec l : p.layers()) {
        if (!(l.source() instanceof LayerSource.Directory d)) {
          continue;
        }
        Path dir = real(d.dir());
        if (dir.startsWith(project) || allowedReal.stream().anyMatch(dir::startsWith)) {
          continue;
        }
        problems.add(ConfigProblem.at(l.origin(), "from", "layer '" + l.name() + "' takes files from " + dir
            + (dir.equals(d.dir()) ? "" : " (" + d.dir() + ")") + ", outside " + project + " (the directory of "
            + "its configuration): a configuration could copy any host file into the image this way, so graft "
            + "refuses it; if it is meant, pass --allow-outside " + dir));
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(new ArrayList<>(problems));
    }
  }

  /** The path with symlinks resolved (a link inside the project may lead out of it); as given when missing. */
  private static Path real(Path p) {
    try {
      return p.toAbsolutePath().toRealPath();
    } catch (IOException e) {
      return p.toAbsolutePath().normalize();
    }
  }
}
