package dev.graft.fs;

import dev.graft.layer.Globs;
import dev.graft.layer.TarPaths;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Applies a {@link Selection} to a merged tree, confined to what it names: a named path and
 * everything below it, nothing else. A symlink is taken as a link, never as its target (a builder's
 * {@code /app/link -> /etc} must not make a selection of {@code /app} bring {@code /etc}). A named
 * path whose parents go through symlinks is read where they lead (inside the image root, as the
 * kernel would resolve it) and placed at the path as named, as a container build's COPY does; globs
 * match the tree's own paths, so they never follow a link either.
 */
public final class Selector {
  private Selector() {}

  /** The selected nodes, sorted by destination. {@code image} names the image in errors. */
  public static List<SelectedEntry> select(FileTree tree, Selection selection, String image) {
    List<Pattern> excludes = selection.absoluteExcludes().stream().map(Globs::compile).toList();
    Map<String, SelectedEntry> chosen = new TreeMap<>();
    for (String include : selection.effectiveInclude()) {
      if (Globs.isGlob(include)) {
        Pattern p = Globs.compile(include);
        List<TreeEntry> matches = tree.walk("/").filter(n -> p.matcher(n.path()).matches()).toList();
        if (matches.isEmpty()) {
          throw new PathNotFoundException(image, include + " (glob matched nothing)", closest(tree, globPrefix(include)));
        }
        matches.forEach(n -> addTree(tree, n, n.path(), selection, excludes, chosen));
      } else {
        String real;
        try {
          real = tree.resolve(include, false);
        } catch (SymlinkLoopException e) {
          throw new PathNotFoundException(image, include + " (" + e.getMessage() + ")", List.of());
        }
        TreeEntry n = tree.lookup(real).orElseThrow(() -> new PathNotFoundException(image, include, closest(tree, real)));
        addTree(tree, n, TarPaths.clean(include), selection, excludes, chosen);
      }
    }
    return List.copyOf(chosen.values());
  }

  /** {@code top} and everything below it, each at {@code named} plus its path below {@code top}. */
  private static void addTree(FileTree tree, TreeEntry top, String named, Selection selection, List<Pattern> excludes,
      Map<String, SelectedEntry> chosen) {
    int topLength = top.path().equals("/") ? 0 : top.path().length();
    String prefix = named.equals("/") ? "" : named;
    tree.walk(top.path()).forEach(n -> {
      // the tree's own path when named as it is (the usual case): one string per entry, not two
      String as = n == top ? named : named.equals(top.path()) ? n.path() : prefix + n.path().substring(topLength);
      if (excludes.stream().anyMatch(p -> Globs.matchesSelfOrAncestor(p, as))) {
        return;
      }
      String destination = selection.destination(as);
      chosen.putIfAbsent(destination, new SelectedEntry(n, destination));
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
    while (!dir.equals("/") && tree.lookup(dir).filter(e -> e.metadata().isDirectory()).isEmpty()) {
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
