package dev.graft.cli;

import dev.graft.oci.Printable;
import dev.graft.fs.Extractor;
import dev.graft.fs.FileTree;
import dev.graft.fs.PathNotFoundException;
import dev.graft.fs.Selection;
import dev.graft.fs.Selector;
import dev.graft.oci.ImageSource;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code graft extract REF PATH... --to DIR}: copies paths out of an image, never writing outside DIR. */
@Command(name = "extract", description = {"Copy paths or globs out of an image into a directory.",
    "A symlink is taken as a link (name its target too, or use a glob);",
    "devices and FIFOs are skipped by name; nothing is ever written",
    "outside DIR, and nothing from a layer that fails its digest."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  graft extract --platform linux/arm64 node:20 /usr/local/bin/node --to out",
        "  graft extract oci-archive:app.tar '/usr/lib/libstdc++.so.6*' --to libs",
        "  graft extract oci:out:dev /app --exclude '/app/node_modules/**' --to app",
        "",
        "See docs/cli.md#extract."})
public final class ExtractCommand implements Callable<Integer> {
  @Parameters(index = "1..*", arity = "1..*", paramLabel = "PATH", description = "Absolute paths or globs in the image.")
  List<String> paths;

  @Option(names = "--to", required = true, paramLabel = "DIR", description = "Directory to extract into (created if missing).")
  Path to;

  @Option(names = "--exclude", paramLabel = "GLOB", description = "Leave out matching paths (repeatable).")
  List<String> excludes = List.of();

  @Mixin
  ReadImageOptions image;

  @Override
  public Integer call() throws Exception {
    Selection selection;
    try {
      selection = new Selection(paths, excludes, null, null);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    PrintWriter err = image.common.err();
    try (ImageSource source = image.open()) {
      FileTree tree = ImageTrees.read(source, image.platform());
      Extractor.Result result;
      try {
        result = Extractor.extract(tree, Selector.select(tree, selection, image.text()), to);
      } catch (PathNotFoundException e) {
        throw new UserError(e.getMessage());
      }
      if (image.common.json) {
        com.fasterxml.jackson.databind.node.ObjectNode o = dev.graft.oci.Json.object()
            .put("reference", image.text()).put("to", to.toString()).put("written", result.written());
        result.skipped().forEach(o.putArray("skipped")::add);
        image.common.printJson(o);
      } else if (!image.common.quiet) {
        result.skipped().forEach(s -> err.println("skipped " + Printable.path(s) + ": devices and fifos are not extracted"));
        err.println("extracted " + result.written() + (result.written() == 1 ? " path" : " paths") + " to " + to);
      }
    }
    err.flush();
    return 0;
  }
}
