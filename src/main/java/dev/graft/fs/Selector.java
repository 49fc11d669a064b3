package dev.graft.fs;

import dev.graft.layer.Globs;
import dev.graft.layer.TarPaths;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Applies a {@link Selection} to a merged tree. Symlinks bring their targets when those are in
 * the image (hop by hop, so every link of a chain comes along), resolved inside the image root.
 */
public final class Selector {
  private Selector() {}

  /** The selected nodes, sorted by source path. {@code image} names the image in errors. */
  public static List<SelectedEntry> select(FileTree tree, Selection selection, String image) {
    List<Pattern> excludes = selection.absoluteExcludes().stream().map(Globs::compile).toList();
    Map<String, TreeEntry> chosen = new TreeMap<>();
    Deque<TreeEntry> links = new ArrayDeque<>();
    for (String include : selection.effectiveInclude()) {
      if (Globs.isGlob(include)) {
        Pattern p = Globs.compile(include);
        List<TreeEntry> matches = tree.walk("/").filter(n -> p.matcher(n.path()).matches()).toList();
        if (matches.isEmpty()) {
          throw new PathNotFoundException(image, include + " (glob matched nothing)", closest(tree, globPrefix(include)));
        }
        matches.forEach(n -> addTree(tree, n, excludes, chosen, links));
      } else {
        String real;
        try {
          real = tree.resolve(include, false);
        } catch (SymlinkLoopException e) {
          throw new PathNotFoundException(image, include + " (" + e.getMessage() + ")", List.of());
        }
        TreeEntry n = tree.lookup(real).orElseThrow(() -> new PathNotFoundException(image, include, closest(tree, real)));
        addTree(tree, n, excludes, chosen, links);
      }
    }
    while (!links.isEmpty()) {
      TreeEntry link = links.pop();
      linkTarget(tree, link).filter(t -> !chosen.containsKey(t.path()))
          .ifPresent(t -> addTree(tree, t, List.of(), chosen, links));
    }
    List<SelectedEntry> out = new ArrayList<>();
    for (TreeEntry n : chosen.values()) {
      out.add(new SelectedEntry(n, selection.destination(n.path())));
    }
    return out;
  }

  /** The node one symlink hop away, when it exists inside the image. */
  static Optional<TreeEntry> linkTarget(FileTree tree, TreeEntry link) {
    String text = link.linkTarget();
    String next = text.startsWith("/") ? text : TarPaths.parent(link.path()) + "/" + text;
    try {
      return tree.lookup(tree.resolve(next, false));
    } catch (SymlinkLoopException e) {
      return Optional.empty(); // a looping link is kept as it is, like any dangling one
    }
  }

  private static void addTree(FileTree tree, TreeEntry top, List<Pattern> excludes, Map<String, TreeEntry> chosen,
      Deque<TreeEntry> links) {
    tree.walk(top.path()).forEach(n -> {
      if (excludes.stream().anyMatch(p -> Globs.matchesSelfOrAncestor(p, n.path()))) {
        return;
      }
      if (chosen.putIfAbsent(n.path(), n) == null && n.isSymlink()) {
        links.add(n);
      }
    });
  }

  private static String globPrefix(String glob) {
    int star = 0;
    while (star < glob.length() && "*?[".indexOf(glob.charAt(star)) < 0) {
      star++;
    }
    return glob.substring(0, star);
  }

  /** Up to five existing paths near a missing one: siblings in its deepest existing directory, by edit distance. */
  static List<String> closest(FileTree tree, String missing) {
    String dir = TarPaths.parent(TarPaths.clean(missing.isEmpty() ? "/" : missing));
    while (!dir.equals("/") && tree.lookup(dir).filter(TreeEntry::isDirectory).isEmpty()) {
      dir = TarPaths.parent(dir);
    }
    String want = TarPaths.clean(missing);
    return tree.list(dir).stream()
        .sorted(Comparator.comparingInt((TreeEntry n) -> distance(n.path(), want)).thenComparing(TreeEntry::path))
        .limit(5).map(TreeEntry::path).toList();
  }

  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
