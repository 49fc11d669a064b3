package dev.graft.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.oci.ImageRef;
import dev.graft.oci.Json;
import dev.graft.verify.Finding;
import dev.graft.verify.ImageVerification;
import dev.graft.verify.Report;
import dev.graft.verify.VerifyInputException;
import dev.graft.verify.VerifyRequest;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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
  @Option(names = "--all", description = "Verify every platform of a multi-platform image.")
  boolean all;

  @Option(names = "--look-in", paramLabel = "REF", description = "Also look in this image for libraries the checked"
      + " image lacks or has too old: a missing library, symbol version or symbol then names the file there that"
      + " has it (e.g. the builder image). Repeatable; searched in order, with the same platform as the checked image.")
  List<String> lookIn = new ArrayList<>();

  @Mixin
  ReadImageOptions image;

  @Override
  public Integer call() throws Exception {
    List<ImageRef> others = lookIn.stream().map(Args::imageRef).toList();
    List<Report> reports;
    try {
      reports = ImageVerification.run(new VerifyRequest(image.ref(), image.platform(), all, others,
          image.transfer()));
    } catch (VerifyInputException e) {
      throw new UserError(e.getMessage());
    }
    PrintWriter out = image.common.out();
    if (image.common.json) {
      image.common.printJson(toJson(reports));
    } else {
      for (int i = 0; i < reports.size(); i++) {
        out.print((i > 0 ? "\n" : "") + reports.get(i).render());
      }
    }
    out.flush();
    return reports.stream().anyMatch(Report::hasErrors) ? 1 : 0;
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
}
