package dev.graft.cli;

import dev.graft.fs.FileTree;
import dev.graft.fs.TreeEntry;
import dev.graft.layer.EntryType;
import dev.graft.oci.ImageSource;
import dev.graft.transfer.Images;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code graft ls REF [PATH]}: an image's merged filesystem, like {@code ls -l} with numeric owners. */
@Command(name = "ls", description = {"List an image's merged filesystem, like ls -l.",
    "All layers applied: whiteouts, opaque directories and links resolved.",
    "Symlinks show as 'a -> b'; owners are numeric; PATH defaults to /."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  graft ls node:20-alpine /usr/local/bin --platform linux/amd64",
        "  graft ls -R oci-archive:app.tar /app",
        "  graft ls --json oci:out:dev /etc/ssl",
        "",
        "See docs/cli.md#ls."})
public final class LsCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "REF", description = "Image reference.")
  String reference;

  @Parameters(index = "1", paramLabel = "PATH", defaultValue = "/", description = "Directory or file in the image.")
  String path;

  @Option(names = {"-R", "--recursive"}, description = "List everything below PATH.")
  boolean recursive;

  @Mixin
  PlatformOption platform;

  @Mixin
  CommonOptions common;

  @Mixin
  RegistryFlags registry;

  @Override
  public Integer call() throws Exception {
    if (!path.startsWith("/")) {
      throw new UserError("PATH must be absolute inside the image, e.g. /usr/lib (got '" + path + "')");
    }
    PrintWriter out = spec.commandLine().getOut();
    try (ImageSource source = Images.open(Args.imageRef(reference), registry.toOptions())) {
      FileTree tree = ImageTrees.read(source, platform.one());
      // Like ls: a trailing slash follows a final symlink, otherwise the link itself is shown.
      String resolved = tree.resolve(path, path.endsWith("/") && path.length() > 1);
      TreeEntry node = tree.lookup(resolved).orElseThrow(() -> new UserError(reference + " has no " + path));
      List<TreeEntry> nodes = !node.isDirectory() ? List.of(node)
          : recursive ? tree.walk(resolved).filter(n -> !n.path().equals("/")).toList() : tree.list(resolved);
      if (common.json) {
        com.fasterxml.jackson.databind.node.ArrayNode a = dev.graft.oci.Json.MAPPER.createArrayNode();
        nodes.forEach(n -> a.addObject().put("path", n.path())
            .put("type", n.type().name().toLowerCase(java.util.Locale.ROOT))
            .put("mode", String.format("%04o", n.mode())).put("uid", n.uid()).put("gid", n.gid())
            .put("size", n.isRegular() ? n.size() : 0).put("linkTarget", n.linkTarget()));
        out.println(new String(dev.graft.oci.Json.write(a), java.nio.charset.StandardCharsets.UTF_8));
      } else {
        for (TreeEntry n : nodes) {
          out.println(line(n));
        }
      }
    }
    out.flush();
    return 0;
  }

  static String line(TreeEntry n) {
    String size = n.type() == EntryType.CHAR || n.type() == EntryType.BLOCK
        ? n.devMajor() + ", " + n.devMinor() : Long.toString(n.isRegular() ? n.size() : 0);
    String suffix = switch (n.type()) {
      case SYMLINK -> " -> " + n.linkTarget();
      case HARDLINK -> " (hardlink to " + n.linkTarget() + ")";
      default -> "";
    };
    return String.format(java.util.Locale.ROOT, "%s %5d %5d %10s %s%s", modeString(n), n.uid(), n.gid(), size,
        n.path(), suffix);
  }

  /** {@code drwxr-xr-x}, with s/S and t/T for setuid, setgid and sticky as ls prints them. */
  static String modeString(TreeEntry n) {
    int m = n.mode();
    char[] c = new char[10];
    c[0] = n.type().lsLetter();
    String rwx = "rwxrwxrwx";
    for (int i = 0; i < 9; i++) {
      c[i + 1] = (m & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-';
    }
    special(c, 3, (m & 04000) != 0, 's');
    special(c, 6, (m & 02000) != 0, 's');
    special(c, 9, (m & 01000) != 0, 't');
    return new String(c);
  }

  private static void special(char[] c, int i, boolean set, char letter) {
    if (set) {
      c[i] = c[i] == 'x' ? letter : Character.toUpperCase(letter);
    }
  }
}
