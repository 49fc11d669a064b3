package dev.graft.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.oci.Blob;
import dev.graft.oci.Descriptor;
import dev.graft.oci.ImageSource;
import dev.graft.oci.Json;
import dev.graft.oci.Platform;
import dev.graft.oci.Printable;
import dev.graft.transfer.ImageSummary;
import dev.graft.transfer.ImageSummary.PlatformImage;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code graft inspect REF}: platforms, layers with sizes, media types and digests of an image. */
@Command(name = "inspect",
    description = {"Show an image's platforms, layers, config and digests.",
        "The summary shows each platform's layers, entrypoint, cmd, env and labels."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  graft inspect node:20-alpine",
        "  graft inspect --config --platform linux/arm64 oci-archive:app.tar",
        "  graft inspect --raw ghcr.io/acme/app:1.2 | sha256sum   # the digest",
        "",
        "See docs/cli.md#inspect."})
public final class InspectCommand implements Callable<Integer> {
  @Option(names = "--raw", description = "Print the exact manifest (or index) bytes (a newline is added only"
      + " on a terminal).")
  boolean raw;

  @Option(names = "--config", description = "Print the exact image config JSON of one platform (a newline is"
      + " added only on a terminal).")
  boolean config;

  @Mixin
  ReadImageOptions image;

  /** Whether stdout is a terminal (read at the edge; tests set it). */
  boolean terminal = System.console() != null;

  @Override
  public Integer call() throws Exception {
    if (raw && config) {
      throw new UserError("--raw and --config exclude each other; pass one of them");
    }
    Optional<Platform> wanted = image.platform();
    PrintWriter out = image.common.out();
    ImageSummary summary;
    try (ImageSource source = image.open()) {
      summary = ImageSummary.read(source, wanted);
    }
    if (raw) {
      // With --platform on an index, the platform's manifest; otherwise the root, byte for byte.
      Blob blob = wanted.isPresent() && summary.isIndex() ? summary.images().get(0).manifestBlob() : summary.root();
      printExact(out, blob.bytes());
    } else if (config) {
      printExact(out, single(summary).config().blob().bytes());
    } else if (image.common.json) {
      image.common.printJson(toJson(summary));
    } else {
      printSummary(out, summary);
    }
    out.flush();
    return 0;
  }

  /**
   * The exact bytes (so {@code | sha256sum} gives the digest); on a terminal a newline is added
   * after them, so the shell's prompt does not start at the end of the JSON.
   */
  private void printExact(PrintWriter out, byte[] bytes) {
    out.print(new String(bytes, StandardCharsets.UTF_8));
    if (terminal && (bytes.length == 0 || bytes[bytes.length - 1] != '\n')) {
      out.println();
    }
  }

  private static PlatformImage single(ImageSummary s) {
    if (s.images().size() == 1 && s.images().get(0).isArtifact()) {
      throw new UserError(s.ref() + " is an artifact (config " + s.images().get(0).manifest().config().mediaType()
          + "), not an image; it has no image config");
    }
    return ReadImageOptions.single(s);
  }

  private static void printSummary(PrintWriter out, ImageSummary s) {
    out.println("Image:       " + s.ref());
    out.println("Digest:      " + s.root().digest());
    out.println("Media type:  " + Printable.text(s.root().mediaType()));
    if (s.isIndex()) {
      out.println("Platforms:   " + s.images().size());
    }
    for (PlatformImage i : s.images()) {
      out.println();
      // media types and platforms are the image's own strings: printed escaped
      out.println(Printable.text((i.platform() == null ? "(no platform)" : i.platform().toString())
          + "  manifest " + i.manifestBlob().digest() + "  " + i.manifest().mediaType()));
      Descriptor c = i.manifest().config();
      out.println("  config  " + c.digest() + "  " + Args.size(c.size()) + "  " + Printable.text(c.mediaType()));
      int n = 0;
      for (Descriptor l : i.manifest().layers()) {
        out.println("  layer " + (++n) + " " + l.digest() + "  " + Args.size(l.size()) + "  "
            + Printable.text(l.mediaType()));
      }
      int layers = i.manifest().layers().size();
      out.println("  " + layers + (layers == 1 ? " layer, " : " layers, ") + Args.size(i.layersSize()) + " compressed");
      if (!i.isArtifact()) {
        printConfig(out, i.config());
      }
    }
  }

  /** What the image runs and with what: the config's process fields, as docker inspect shows them. */
  private static void printConfig(PrintWriter out, dev.graft.oci.ImageConfig c) {
    out.println("  entrypoint " + (c.entrypoint() == null ? "(none)" : json(c.entrypoint())));
    out.println("  cmd        " + (c.cmd() == null ? "(none)" : json(c.cmd())));
    if (c.workingDir() != null && !c.workingDir().isEmpty()) {
      out.println("  workdir    " + c.workingDir());
    }
    if (c.user() != null && !c.user().isEmpty()) {
      out.println("  user       " + c.user());
    }
    if (!c.env().isEmpty()) {
      out.println("  env");
      c.env().forEach(e -> out.println("    " + e));
    }
    if (!c.labels().isEmpty()) {
      out.println("  labels");
      new java.util.TreeMap<>(c.labels()).forEach((k, v) -> out.println("    " + k + "=" + v));
    }
  }

  private static String json(java.util.List<String> list) {
    ArrayNode a = Json.MAPPER.createArrayNode();
    list.forEach(a::add);
    return new String(Json.write(a), StandardCharsets.UTF_8);
  }

  private static ObjectNode toJson(ImageSummary s) {
    ObjectNode n = Json.object();
    n.put("reference", s.ref().toString());
    n.put("digest", s.root().digest().toString());
    n.put("mediaType", s.root().mediaType());
    ArrayNode images = n.putArray("images");
    for (PlatformImage i : s.images()) {
      ObjectNode e = images.addObject();
      e.put("platform", i.platform() == null ? null : i.platform().toString());
      e.put("digest", i.manifestBlob().digest().toString());
      e.put("mediaType", i.manifest().mediaType());
      e.set("config", descriptor(i.manifest().config()));
      ArrayNode layers = e.putArray("layers");
      i.manifest().layers().forEach(l -> layers.add(descriptor(l)));
      ArrayNode diffIds = e.putArray("diffIds");
      if (!i.isArtifact()) {
        i.config().diffIds().forEach(d -> diffIds.add(d.toString()));
      }
      e.put("layersSize", i.layersSize());
    }
    return n;
  }

  private static ObjectNode descriptor(Descriptor d) {
    ObjectNode n = Json.object();
    n.put("mediaType", d.mediaType());
    n.put("digest", d.digest().toString());
    n.put("size", d.size());
    return n;
  }
}
