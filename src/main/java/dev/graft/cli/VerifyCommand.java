package dev.graft.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.fs.FileTree;
import dev.graft.oci.ImageConfig;
import dev.graft.oci.ImageRef;
import dev.graft.oci.ImageSource;
import dev.graft.oci.Json;
import dev.graft.oci.Platform;
import dev.graft.transfer.ImageSummary;
import dev.graft.transfer.ImageSummary.PlatformImage;
import dev.graft.transfer.Images;
import dev.graft.verify.FileTreeImageFiles;
import dev.graft.verify.Finding;
import dev.graft.verify.ImageContext;
import dev.graft.verify.ImageVerifier;
import dev.graft.verify.OtherImage;
import dev.graft.verify.Report;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code graft verify REF}: static checks (loader, libraries, arch, libc, Node ABI, npm platforms); exit 1 on errors. */
@Command(name = "verify",
    description = {"Check that an image's node and addons would start.",
        "Statically, by the loader's own rules: interpreter, shared libraries, symbol",
        "versions, architecture, libc, Node ABI and Node-API, npm platform packages.",
        "Exit code 1 when an error is found."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  graft verify oci-archive:app.tar --all",
        "  graft verify ghcr.io/acme/app:1.2 --platform linux/arm64 --look-in node:20",
        "  graft verify --json oci:out:dev --platform linux/amd64",
        "",
        "See docs/cli.md#verify (every finding code, with its fix)."})
public final class VerifyCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "REF", description = "Image reference.")
  String reference;

  @Mixin
  PlatformOption platform;

  @Option(names = "--all", description = "Verify every platform of a multi-platform image.")
  boolean all;

  @Option(names = "--look-in", paramLabel = "REF", description = "Also look in this image for libraries the checked"
      + " image lacks or has too old: a missing library, symbol version or symbol then names the file there that"
      + " has it (e.g. the builder image). Repeatable; searched in order, with the same platform as the checked image.")
  List<String> lookIn = new ArrayList<>();

  @Mixin
  CommonOptions common;

  @Mixin
  RegistryFlags registry;

  @Override
  public Integer call() throws Exception {
    if (all && platform.given()) {
      throw new UserError("--all and --platform exclude each other; pass one of them");
    }
    ImageRef ref = Args.imageRef(reference);
    Optional<Platform> wanted = platform.one();
    List<Report> reports = new ArrayList<>();
    List<LookIn> others = new ArrayList<>();
    try (ImageSource source = Images.open(ref, registry.toOptions())) {
      ImageSummary summary = ImageSummary.read(source, wanted);
      List<PlatformImage> images = summary.images().stream().filter(i -> !i.isArtifact()).toList();
      if (images.size() > 1 && !all && wanted.isEmpty()) {
        String platforms = images.stream().map(i -> String.valueOf(i.platform())).collect(Collectors.joining(", "));
        throw new UserError(ref + " has " + images.size() + " platforms (" + platforms
            + "); choose one with --platform, or --all");
      }
      List<Platform> platforms = images.stream().map(VerifyCommand::platformOf).toList();
      for (String text : lookIn) {
        LookIn other = LookIn.open(Args.imageRef(text), registry.toOptions());
        others.add(other);
        if (platforms.stream().noneMatch(p -> other.image(p).isPresent())) {
          throw new UserError("--look-in " + text + " has no image for "
              + platforms.stream().map(String::valueOf).collect(Collectors.joining(", "))
              + "; look in an image of the platform verified");
        }
      }
      for (PlatformImage image : images) {
        Platform p = platformOf(image);
        reports.add(verify(source, ref, image, others.stream().map(o -> o.forPlatform(p)).toList()));
      }
    } finally {
      for (LookIn other : others) {
        other.close();
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    if (common.json) {
      out.println(new String(Json.write(toJson(reports)), StandardCharsets.UTF_8));
    } else {
      for (int i = 0; i < reports.size(); i++) {
        out.print((i > 0 ? "\n" : "") + reports.get(i).render());
      }
    }
    out.flush();
    return reports.stream().anyMatch(Report::hasErrors) ? 1 : 0;
  }

  private static Platform platformOf(PlatformImage image) {
    ImageConfig config = image.config();
    return image.platform() != null ? image.platform()
        : new Platform(config.os(), config.architecture(), config.variant());
  }

  private static Report verify(ImageSource source, ImageRef ref, PlatformImage image, List<OtherImage> lookIn)
      throws java.io.IOException {
    ImageConfig config = image.config();
    Platform p = platformOf(image);
    FileTree tree = FileTree.read(source, image.manifest(), image.config().diffIds());
    List<String> command = new ArrayList<>();
    if (config.entrypoint() != null) {
      command.addAll(config.entrypoint());
    }
    if (config.cmd() != null) {
      command.addAll(config.cmd());
    }
    try (FileTreeImageFiles files = new FileTreeImageFiles(tree)) {
      ImageContext ctx;
      try {
        ctx = ImageContext.of(files, p, config.env()).withLookIn(lookIn);
      } catch (IllegalArgumentException e) {
        throw new UserError(ref + ": " + e.getMessage());
      }
      return ImageVerifier.verify(ctx, command, ref + " (" + p + ")");
    }
  }

  private static ObjectNode toJson(List<Report> reports) {
    ObjectNode root = Json.object();
    root.put("errors", reports.stream().anyMatch(Report::hasErrors));
    ArrayNode arr = root.putArray("images");
    for (Report r : reports) {
      ObjectNode o = arr.addObject();
      o.put("image", r.subject());
      o.put("errors", r.hasErrors());
      ArrayNode fs = o.putArray("findings");
      for (Finding f : r.findings()) {
        ObjectNode fo = fs.addObject();
        fo.put("severity", f.severity().name().toLowerCase(java.util.Locale.ROOT));
        fo.put("code", f.code());
        fo.put("path", f.path());
        fo.put("message", f.message());
        fo.put("fix", f.fix());
      }
    }
    return root;
  }

  /**
   * An image of {@code --look-in}: opened (and its platforms listed) before verification, its
   * files read only when a finding asks for them, and removed with {@link #close()}.
   */
  private static final class LookIn implements AutoCloseable {
    private final ImageRef ref;
    private final ImageSource source;
    private final List<PlatformImage> images;
    private final List<FileTreeImageFiles> opened = new ArrayList<>();

    private LookIn(ImageRef ref, ImageSource source, List<PlatformImage> images) {
      this.ref = ref;
      this.source = source;
      this.images = images;
    }

    static LookIn open(ImageRef ref, dev.graft.transfer.TransferOptions options) throws java.io.IOException {
      ImageSource source = Images.open(ref, options);
      try {
        List<PlatformImage> images = ImageSummary.read(source, Optional.empty()).images().stream()
            .filter(i -> !i.isArtifact()).toList();
        return new LookIn(ref, source, images);
      } catch (java.io.IOException | RuntimeException e) {
        source.close();
        throw e;
      }
    }

    Optional<PlatformImage> image(Platform p) {
      return images.stream().filter(i -> platformOf(i).matches(p)).findFirst();
    }

    OtherImage forPlatform(Platform p) {
      return new OtherImage("image " + ref, () -> image(p).map(image -> {
        try {
          FileTreeImageFiles files = new FileTreeImageFiles(FileTree.read(source, image.manifest(), image.config().diffIds()));
          opened.add(files);
          return ImageContext.of(files, p, image.config().env());
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(ref + ": " + e.getMessage(), e);
        }
      }));
    }

    @Override
    public void close() throws java.io.IOException {
      opened.forEach(FileTreeImageFiles::close);
      source.close();
    }
  }
}
