package dev.graft.cli;

import dev.graft.fs.FileTree;
import dev.graft.fs.TreeEntry;
import dev.graft.layer.EntryMetadata;
import dev.graft.layer.EntryType;
import dev.graft.oci.ImageSource;
import dev.graft.oci.Printable;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
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
  @Parameters(index = "1", paramLabel = "PATH", defaultValue = "/", description = "Directory or file in the image.")
  String path;

  @Option(names = {"-R", "--recursive"}, description = "List everything below PATH.")
  boolean recursive;

  @Mixin
  ReadImageOptions image;

  @Override
  public Integer call() throws Exception {
    if (!path.startsWith("/")) {
      throw new UserError("PATH must be absolute inside the image, e.g. /usr/lib (got '" + path + "')");
    }
    PrintWriter out = image.common.out();
    try (ImageSource source = image.open()) {
      FileTree tree = ImageTrees.read(source, image.platform());
      // Like ls: a trailing slash follows a final symlink, otherwise the link itself is shown.
      String resolved = tree.resolve(path, path.endsWith("/") && path.length() > 1);
      TreeEntry node = tree.lookup(resolved).orElseThrow(() -> new UserError(image.text() + " has no " + path));
      // streamed: a listing of a million entries never sits in memory
      try (Stream<TreeEntry> nodes = !node.metadata().isDirectory() ? Stream.of(node)
          : recursive ? tree.walk(resolved).filter(n -> !n.path().equals("/")) : tree.list(resolved).stream()) {
        if (image.common.json) {
          printJson(out, nodes);
        } else {
          nodes.forEach(n -> out.println(line(n)));
        }
      }
    }
    out.flush();
    return 0;
  }

  private static void printJson(PrintWriter out, Stream<TreeEntry> nodes) throws java.io.IOException {
    try (com.fasterxml.jackson.core.JsonGenerator g = dev.graft.oci.Json.displayGenerator(out)) {
      g.writeStartArray();
      for (TreeEntry n : (Iterable<TreeEntry>) nodes::iterator) {
        g.writeStartObject();
        g.writeStringField("path", n.path());
        EntryMetadata m = n.metadata();
        g.writeStringField("type", m.type().name().toLowerCase(java.util.Locale.ROOT));
        g.writeStringField("mode", String.format("%04o", m.mode()));
        g.writeNumberField("uid", m.uid());
        g.writeNumberField("gid", m.gid());
        g.writeNumberField("size", m.size());
        g.writeStringField("linkTarget", m.linkTarget());
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    out.println();
  }

  static String line(TreeEntry n) {
    EntryMetadata m = n.metadata();
    String size = m.type() == EntryType.CHAR || m.type() == EntryType.BLOCK
        ? m.devMajor() + ", " + m.devMinor() : Long.toString(m.size());
    String suffix = switch (m.type()) {
      case SYMLINK -> " -> " + Printable.path(m.linkTarget());
      case HARDLINK -> " (hardlink to " + Printable.path(m.linkTarget()) + ")";
      default -> "";
    };
    return String.format(java.util.Locale.ROOT, "%s %5d %5d %10s %s%s", modeString(n), m.uid(), m.gid(), size,
        Printable.path(n.path()), suffix);
  }

  /** {@code drwxr-xr-x}, with s/S and t/T for setuid, setgid and sticky as ls prints them. */
  static String modeString(TreeEntry n) {
    int m = n.metadata().mode();
    char[] c = new char[10];
    c[0] = n.metadata().type().lsLetter();
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
