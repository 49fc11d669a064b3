package dev.graft.npm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Chooses the packages {@code npm ci --os --cpu --libc --omit} installs, the way arborist does:
 * a package whose kind is omitted is left out; an optional package whose os/cpu/libc exclude the
 * target is left out together with its optional set (the packages only it brings in); a package
 * that is not optional and excludes the target is an error naming it (npm's EBADPLATFORM).
 * Unlike npm, graft checks non-optional packages against the target, not the machine it runs on.
 * Engines are not checked: the node version is the image's, which npm ci would not know either.
 */
public final class PackageSelector {
  private PackageSelector() {}

  public static Selection select(Lockfile lock, NpmTarget target, Set<Omit> omit) {
    Graph g = new Graph(lock);
    Map<String, Selection.LeftOut> out = new LinkedHashMap<>();
    List<String> errors = new ArrayList<>();
    // arborist's checkEngineAndPlatform, in lockfile (inventory) order: an optional package that
    // does not run here makes its optional set inert; packages already inert no longer count as
    // dependents, so a package two failing platform packages share goes with the second.
    Set<String> inert = new java.util.HashSet<>();
    Map<String, Selection.LeftOut> platform = new LinkedHashMap<>();
    for (LockedPackage p : lock.packages().values()) {
      var mismatch = p.mismatch(target);
      if (mismatch.isEmpty()) {
        continue;
      }
      if (!p.flags().optional()) {
        if (!p.flags().omittedBy(omit)) {
          errors.add(p.id() + " at " + p.path() + " (needs " + mismatch.get() + ")");
        }
        continue;
      }
      if (inert.contains(p.path())) {
        continue;
      }
      for (String q : g.optionalSet(p.path(), inert)) {
        inert.add(q);
        LockedPackage qp = lock.packages().get(q);
        platform.putIfAbsent(q, q.equals(p.path())
            ? new Selection.LeftOut(qp, Selection.Reason.PLATFORM, mismatch.get())
            : new Selection.LeftOut(qp, Selection.Reason.ONLY_FOR_LEFT_OUT, p.id()));
      }
    }
    if (!errors.isEmpty()) {
      throw new NpmException("lockfile " + lock.file() + ": " + (errors.size() == 1 ? "a package that is not optional does"
          : errors.size() + " packages that are not optional do") + " not run on " + target + ": "
          + String.join("; ", errors) + " (npm ci would fail with EBADPLATFORM; build for a platform it supports, "
          + "or make it an optionalDependency)");
    }
    for (LockedPackage p : lock.packages().values()) {
      if (p.flags().omittedBy(omit)) {
        out.put(p.path(), new Selection.LeftOut(p, Selection.Reason.OMITTED, omitKind(p)));
      } else if (platform.containsKey(p.path())) {
        out.put(p.path(), platform.get(p.path()));
      }
    }
    List<LockedPackage> installed = lock.packages().values().stream().filter(p -> !out.containsKey(p.path())).toList();
    return new Selection(target, installed, List.copyOf(out.values()));
  }

  private static String omitKind(LockedPackage p) {
    LockedPackage.Flags f = p.flags();
    return f.dev() ? "dev" : f.optional() ? "optional" : f.devOptional() ? "dev and optional" : "peer";
  }

  /**
   * Dependency edges between install paths, resolved the way Node resolves a name: the nearest
   * {@code node_modules/<name>} at or above the dependent's folder.
   */
  static final class Graph {
    private final Lockfile lock;
    /** to → edges in: (from, optional). */
    private final Map<String, List<Edge>> in = new HashMap<>();
    private final Map<String, List<Edge>> outEdges = new HashMap<>();

    record Edge(String from, String to, boolean optional) {}

    Graph(Lockfile lock) {
      this.lock = lock;
      addEdges("", lock.rootDependencies());
      for (LockedPackage p : lock.packages().values()) {
        addEdges(p.path(), p.dependencies());
      }
    }

    private void addEdges(String from, Map<String, Boolean> deps) {
      deps.forEach((name, optional) -> {
        String to = resolve(from, name);
        if (to != null) {
          Edge e = new Edge(from, to, optional);
          in.computeIfAbsent(to, k -> new ArrayList<>()).add(e);
          outEdges.computeIfAbsent(from, k -> new ArrayList<>()).add(e);
        }
      });
    }

    /** The install path {@code name} resolves to from folder {@code from} ("" is the root), or null. */
    String resolve(String from, String name) {
      String dir = from;
      while (true) {
        String candidate = (dir.isEmpty() ? "" : dir + "/") + "node_modules/" + name;
        if (lock.packages().containsKey(candidate)) {
          return candidate;
        }
        if (dir.isEmpty()) {
          return null;
        }
        int i = dir.lastIndexOf("/node_modules/");
        dir = i < 0 ? "" : dir.substring(0, i);
      }
    }

    /**
     * arborist's optional-set: the package and the packages that need it through non-optional
     * edges (up to the optional edges that make it optional), then what those reach, less every
     * package that something outside the set (and not inert) still depends on.
     */
    Set<String> optionalSet(String start, Set<String> inert) {
      LinkedHashSet<String> set = new LinkedHashSet<>();
      set.add(start);
      List<String> queue = new ArrayList<>(set);
      for (int i = 0; i < queue.size(); i++) {
        for (Edge e : in.getOrDefault(queue.get(i), List.of())) {
          if (!e.optional() && !e.from().isEmpty() && set.add(e.from())) {
            queue.add(e.from());
          }
        }
      }
      java.util.function.Predicate<Edge> counts = e -> !set.contains(e.to()) && !inert.contains(e.from());
      LinkedHashSet<String> deps = new LinkedHashSet<>(set);
      List<String> walk = new ArrayList<>(deps);
      for (int i = 0; i < walk.size(); i++) {
        for (Edge e : outEdges.getOrDefault(walk.get(i), List.of())) {
          if (counts.test(e) && deps.add(e.to())) {
            walk.add(e.to());
          }
        }
      }
      boolean changed = true;
      while (changed && !deps.isEmpty()) {
        changed = false;
        for (String d : new ArrayList<>(deps)) {
          for (Edge e : in.getOrDefault(d, List.of())) {
            if (!deps.contains(e.from()) && counts.test(e)) {
              deps.remove(d);
              changed = true;
              break;
            }
          }
        }
      }
      return deps;
    }
  }
}
