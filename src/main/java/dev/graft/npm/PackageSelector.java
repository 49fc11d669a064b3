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
    for (LockedPackage p : lock.packages().values()) {
      if (p.flags().omittedBy(omit)) {
        out.put(p.path(), new Selection.LeftOut(p, Selection.Reason.OMITTED, omitKind(p)));
      }
    }
    for (LockedPackage p : lock.packages().values()) {
      if (out.containsKey(p.path())) {
        continue;
      }
      var mismatch = p.mismatch(target);
      if (mismatch.isEmpty()) {
        continue;
      }
      if (!p.flags().optional()) {
        errors.add(p.id() + " at " + p.path() + " (needs " + mismatch.get() + ")");
        continue;
      }
      Set<String> set = g.optionalSet(p.path());
      for (String q : set) {
        if (!out.containsKey(q)) {
          LockedPackage qp = lock.packages().get(q);
          out.put(q, q.equals(p.path())
              ? new Selection.LeftOut(qp, Selection.Reason.PLATFORM, mismatch.get())
              : new Selection.LeftOut(qp, Selection.Reason.ONLY_FOR_LEFT_OUT, p.id()));
        }
      }
    }
    if (!errors.isEmpty()) {
      throw new NpmException("lockfile " + lock.file() + ": " + (errors.size() == 1 ? "a package that is not optional does"
          : errors.size() + " packages that are not optional do") + " not run on " + target + ": "
          + String.join("; ", errors) + " (npm ci would fail with EBADPLATFORM; build for a platform it supports, "
          + "or make it an optionalDependency)");
    }
    List<LockedPackage> installed = lock.packages().values().stream().filter(p -> !out.containsKey(p.path())).toList();
    List<Selection.LeftOut> leftOut = lock.packages().keySet().stream().filter(out::containsKey).map(out::get).toList();
    return new Selection(target, installed, leftOut);
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
     * arborist's optional-set: the package, the packages that need it through non-optional edges
     * (up to the optional edges that make it optional), then every package reached from those
     * whose dependents all lie inside the set.
     */
    Set<String> optionalSet(String start) {
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
      // gather dependencies whose every dependent is in the set
      boolean grew = true;
      while (grew) {
        grew = false;
        for (String s : new ArrayList<>(set)) {
          for (Edge e : outEdges.getOrDefault(s, List.of())) {
            if (!set.contains(e.to()) && in.getOrDefault(e.to(), List.of()).stream().allMatch(x -> set.contains(x.from()))) {
              set.add(e.to());
              grew = true;
            }
          }
        }
      }
      return set;
    }
  }
}
