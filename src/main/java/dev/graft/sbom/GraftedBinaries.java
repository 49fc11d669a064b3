package dev.graft.sbom;

import dev.graft.elf.ElfFile;
import dev.graft.elf.ElfFormatException;
import dev.graft.fs.FileTree;
import dev.graft.fs.TreeEntry;
import dev.graft.oci.Digest;
import dev.graft.verify.loader.Closure;
import dev.graft.verify.loader.ClosureLibrary;
import dev.graft.verify.loader.ImageContext;
import dev.graft.verify.node.NodeRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The ELF files in an image's grafted layers and what loads what among them: each program and
 * addon is resolved with the image's own loader rules ({@link Closure}, the same emulation
 * verification uses), so "libstdc++.so.6 is needed by /usr/local/bin/node" is what the loader
 * would do in the finished image, not a guess from file names.
 */
public final class GraftedBinaries {
  private static final Pattern SO_VERSION = Pattern.compile("\\.so\\.([0-9][0-9.]*)$");

  private GraftedBinaries() {}

  public static List<BinaryComponent> find(FileTree tree, ImageContext ctx, Set<Integer> graftedLayers) {
    SortedMap<String, TreeEntry> grafted = new TreeMap<>();
    try (Stream<TreeEntry> all = tree.walk("/")) {
      all.filter(n -> n.metadata().isRegular() && graftedLayers.contains(n.content().layer()))
          .filter(GraftedBinaries::mayBeElf)
          .forEach(n -> grafted.put(n.path(), n));
    }
    Map<String, BinaryComponent.Kind> kinds = new TreeMap<>();
    for (TreeEntry n : grafted.values()) {
      ElfFile elf = elf(ctx, n.path());
      // a prebuild for another CPU (bcrypt ships every platform's) never loads here: its npm
      // package lists it, the loader graph leaves it out
      if (elf == null || ctx.identity().mismatch(elf) != null) {
        continue;
      }
      boolean program = elf.soname().isEmpty()
          && (elf.interpreter().isPresent() || elf.isStatic() && (n.metadata().mode() & 0111) != 0);
      kinds.put(n.path(), n.path().endsWith(".node") ? BinaryComponent.Kind.ADDON
          : program ? BinaryComponent.Kind.PROGRAM : BinaryComponent.Kind.LIBRARY);
    }
    Map<String, SortedSet<String>> neededBy = new TreeMap<>();
    Map<String, SortedSet<String>> needs = new TreeMap<>();
    for (Map.Entry<String, BinaryComponent.Kind> e : kinds.entrySet()) {
      if (e.getValue() == BinaryComponent.Kind.LIBRARY) {
        continue;
      }
      Closure closure = Closure.of(ctx, List.of(e.getKey()));
      for (ClosureLibrary lib : closure.libraries()) {
        needs.computeIfAbsent(lib.neededBy(), k -> new TreeSet<>()).add(lib.realPath());
        neededBy.computeIfAbsent(lib.realPath(), k -> new TreeSet<>()).add(lib.neededBy());
      }
    }
    List<BinaryComponent> out = new ArrayList<>();
    for (Map.Entry<String, BinaryComponent.Kind> e : kinds.entrySet()) {
      TreeEntry n = grafted.get(e.getKey());
      if (n == null) {
        continue;
      }
      String path = n.path();
      String name = e.getValue() == BinaryComponent.Kind.LIBRARY ? name(path, ctx) : path.substring(path.lastIndexOf('/') + 1);
      out.add(new BinaryComponent(path, e.getValue(), n.content().layer(), name, version(path, ctx, e.getValue()),
          sha256(ctx, path), List.copyOf(neededBy.getOrDefault(path, new TreeSet<>())),
          List.copyOf(needs.getOrDefault(path, new TreeSet<>()))));
    }
    return out;
  }

  private static boolean mayBeElf(TreeEntry n) {
    String name = n.name();
    return (n.metadata().mode() & 0111) != 0 || name.endsWith(".node") || name.contains(".so");
  }

  private static ElfFile elf(ImageContext ctx, String path) {
    try {
      return ctx.elfs().isElf(path) ? ctx.elfs().get(path) : null;
    } catch (ElfFormatException | UncheckedIOException e) {
      return null; // not an ELF file graft can read: not a binary component
    }
  }

  /** The soname where the file has one (what the loader asks for), else the file name. */
  private static String name(String path, ImageContext ctx) {
    ElfFile elf = elf(ctx, path);
    String file = path.substring(path.lastIndexOf('/') + 1);
    return elf != null && elf.soname().isPresent() ? elf.soname().get() : file;
  }

  private static Optional<String> version(String path, ImageContext ctx, BinaryComponent.Kind kind) {
    if (kind == BinaryComponent.Kind.PROGRAM && path.endsWith("/node")) {
      Optional<NodeRuntime> node = NodeRuntime.detect(ctx, path);
      if (node.isPresent()) {
        return Optional.of(node.get().version());
      }
    }
    Matcher m = SO_VERSION.matcher(path);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  private static String sha256(ImageContext ctx, String path) {
    MessageDigest md = Digest.newSha256();
    try (InputStream in = ctx.files().open(path)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + " of the image for its SBOM entry", e);
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
