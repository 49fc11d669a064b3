package dev.graft.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.assemble.BuildListener;
import dev.graft.assemble.BuildOptions;
import dev.graft.assemble.BuildResult;
import dev.graft.assemble.Builder;
import dev.graft.assemble.VerificationFailedException;
import dev.graft.assemble.VerifyMode;
import dev.graft.config.ImageTarget;
import dev.graft.sbom.SbomFormat;
import dev.graft.sign.PayloadSigner;
import dev.graft.supply.Attachment;
import dev.graft.supply.SupplyOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import dev.graft.config.BuildPlan;
import dev.graft.layer.LayerCache;
import dev.graft.oci.Json;
import dev.graft.oci.Platform;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code graft build}: graft.yaml (or an add-on) → verified images written to their targets. */
@Command(name = "build", description = {
    "Build the images graft.yaml (or an add-on) describes.",
    "Base layers by reference, builder files with their libraries, the app's own",
    "directories and a new config; verified before anything is written, then",
    "pushed to a registry or written to oci:, oci-archive: or docker-archive:."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  graft build                                 # ./graft.yaml, to its 'to'",
        "  graft build -f app/graft.yaml --to ghcr.io/acme/app --tag 1.2.3 --tag latest",
        "  graft build --addon ./my-addon --platform amd64 --to oci-archive:addon.tar",
        "  graft build --set config.env.NODE_ENV=staging --verify warn --to oci:out:dev",
        "",
        "Progress goes to stderr: live on a terminal, plain lines in CI (CI=true or no",
        "terminal), JSON events with --json, nothing with --quiet.",
        "See docs/graft-yaml.md (the file) and docs/progress.md (output, --json)."})
public final class BuildCommand implements Callable<Integer> {
  @Mixin
  CommonOptions common;

  @Mixin
  ConfigOptions config;

  @Mixin
  RegistryFlags registry;

  @Mixin
  RemoteCacheOptions remoteCache;

  @Option(names = "--verify", paramLabel = "MODE", defaultValue = "strict",
      description = "strict (default): refuse to write an image that would not run; warn: write it anyway; off.")
  String verify;

  @Mixin
  SignFlags sign;

  @Option(names = "--sbom", description = {"Write an SBOM of each platform image (CycloneDX 1.6 JSON unless "
      + "--sbom-format says otherwise): attached in a registry as an OCI 1.1 referrer (artifactType "
      + "application/vnd.cyclonedx+json or application/spdx+json; tag sha256-<hex> where the registry has no "
      + "referrers API), beside an oci:/oci-archive: target as TARGET.OS-ARCH.cdx.json or .spdx.json. Read it back "
      + "with 'graft sbom REF --attached'."})
  boolean sbom;

  @Option(names = "--sbom-format", paramLabel = "FORMAT[,FORMAT]", description = {"cyclonedx (default: CycloneDX "
      + "1.6 JSON), spdx (SPDX 2.3 JSON), or cyclonedx,spdx for both. Implies --sbom."})
  String sbomFormat;

  @Option(names = "--provenance", description = {"Write an in-toto statement with a SLSA v1 provenance predicate for "
      + "each platform image (graft.yaml digest, base/builder digests, local inputs' hashes, SOURCE_DATE_EPOCH), "
      + "attached like --sbom (artifactType application/vnd.in-toto+json) or as TARGET.OS-ARCH.provenance.json."})
  boolean provenance;

  @Option(names = "--cache-dir", paramLabel = "DIR", description = "Layer cache (default: ~/.cache/graft).")
  Path cacheDir;

  /** The environment, read here at the edge; tests replace it. */
  Map<String, String> env = System.getenv();

  @Override
  public Integer call() throws Exception {
    VerifyMode mode;
    try {
      mode = VerifyMode.parse(verify);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    BuildPlan plan = config.plan(env); // every config problem is reported here, before any network call
    if (plan.platforms().stream().allMatch(p -> p.targets().isEmpty()) && plan.indexTargets().isEmpty()) {
      throw new UserError("nowhere to write the image: set 'to' in graft.yaml or pass --to REF "
          + "(e.g. --to oci-archive:app.tar)");
    }
    // refuses a non-registry target; a key is read and a keyless identity looked for before anything is built
    List<PayloadSigner> signers = sign.signers(allTargets(plan).stream().map(ImageTarget::ref).toList());
    List<SbomFormat> sbomFormats;
    try {
      sbomFormats = sbomFormat != null ? SbomFormat.parseList(sbomFormat)
          : sbom ? List.of(SbomFormat.CYCLONEDX) : List.of();
    } catch (IllegalArgumentException e) {
      throw new UserError("--sbom-format: " + e.getMessage());
    }
    SupplyOptions supply = new SupplyOptions(signers, sbomFormats, provenance,
        !sbomFormats.isEmpty() || provenance ? config.files() : Map.of(),
        VersionCommand.version());
    PrintWriter out = common.out();
    PrintWriter err = common.err();
    BuildListener progress = progress(err);
    for (String n : plan.notes()) {
      if (progress instanceof JsonProgress json) {
        json.note(n);
      } else if (!common.quiet) {
        err.println(n.startsWith("warning: ") ? n : "note: " + n);
      }
    }
    // spools and staged layers; removed on SIGINT/SIGTERM too, and swept when a killed run left one
    Path tmpRoot = Path.of(System.getProperty("java.io.tmpdir"));
    dev.graft.oci.StagingDir.sweep(tmpRoot, "graft-build-");
    dev.graft.oci.StagingDir workDir = dev.graft.oci.StagingDir.create(tmpRoot, "graft-build-");
    Path work = workDir.path();
    BuildResult result;
    Path cache = cacheDir != null ? cacheDir : LayerCache.defaultDir();
    CacheNotes notes = CacheNotes.of(progress, err);
    dev.graft.buildcache.RegistryBuildCache shared = null;
    try {
      // retries are shown as they happen, through the progress listener
      dev.graft.transfer.TransferOptions transfer = registry.toOptions(progress::retrying);
      // which scheme a local/insecure registry answered on, so a rebuild does not try TLS first
      transfer = transfer.withRegistry(transfer.registry().withStateDir(cache.resolve("registries")));
      BuildOptions options = BuildOptions.defaults(cache, work).withVerify(mode).withTransfer(transfer);
      shared = remoteCache.start(plan, transfer.registry(), cache, notes);
      if (shared != null) {
        options = options.withShared(shared);
      }
      result = new Builder(options, progress, supply).build(plan);
      if (shared != null) {
        shared.write(); // after the image: a cache never holds what the registry lacks
      }
    } catch (VerificationFailedException e) {
      if (progress == BuildListener.NONE && !common.json) {
        e.reports().forEach(r -> err.println(r.render()));
      }
      throw e;
    } finally {
      try {
        if (progress instanceof AutoCloseable c) {
          c.close();
        }
      } finally {
        workDir.close();
      }
    }
    LaunchHint.record(cache, result);
    if (common.json) {
      ObjectNode json = json(result);
      if (shared != null) {
        json.set("buildCache", notes.json());
      }
      common.printJson(json);
    } else if (!common.quiet) {
      for (BuildResult.TargetResult t : result.targets()) {
        out.println("Built " + t.ref() + " " + t.digest()
            + (t.tags().isEmpty() ? "" : " (tags: " + String.join(", ", t.tags()) + ")"));
        if (t.ref().startsWith("oci-archive:") || t.ref().startsWith("docker-archive:")) {
          out.println(runHint(t.ref(), result.platforms().stream().map(BuildResult.PlatformResult::platform).toList()));
        }
      }
      for (Attachment a : result.attachments()) {
        out.println((a.kind().equals("signature") ? "Signed " : "Wrote " + a.kind()
            + (a.mediaType().isEmpty() ? "" : " (" + a.mediaType() + ")") + " of ") + a.subject() + ": "
            + a.location() + (a.signer().isEmpty() ? "" : " by " + a.signer()) + (a.added() ? "" : " (already there)"));
      }
    }
    githubOutput(env, result);
    return 0;
  }

  /** Whether stderr is a terminal a person watches (read at the edge; tests set it). */
  boolean terminal = System.console() != null && !"dumb".equals(System.getenv("TERM"));

  /**
   * How progress is shown (docs/progress.md): nothing with --quiet; JSON events with --json; a live
   * display on a terminal unless CI=true; plain lines otherwise.
   */
  BuildListener progress(PrintWriter err) {
    if (common.quiet) {
      return BuildListener.NONE;
    }
    if (common.json) {
      return new JsonProgress(err);
    }
    boolean live = terminal && !"true".equalsIgnoreCase(env.getOrDefault("CI", ""));
    return new BuildProgress(err, live ? BuildProgress.Mode.LIVE : BuildProgress.Mode.PLAIN,
        live ? TerminalWidth.of(env) : Integer.MAX_VALUE);
  }

  /**
   * How to run what was written: podman with runc (crun cannot set rlimits in some CI sandboxes and
   * containers; the repository's scripts/podman-env sets the configuration that works there).
   */
  static String runHint(String ref, List<Platform> platforms) {
    List<String> flags = platforms.stream().map(p -> "--arch " + p.architecture()
        + ("arm".equals(p.architecture()) && p.variant() != null ? " --variant " + p.variant() : "")).toList();
    String first = platforms.size() > 1 ? flags.get(0) + " " : "";
    String others = platforms.size() > 1 ? "\n  other platforms: " + String.join(", ", flags.subList(1, flags.size()))
        + " (a foreign CPU needs qemu-user-static registered in binfmt_misc)" : "";
    return "Run it: podman run --rm " + first + ref + "\n  (needs podman and runc: apt-get install podman runc;"
        + " where podman fails with 'setrlimit: Operation not permitted', as in some CI sandboxes, run it through"
        + " scripts/podman-env: docs/running.md)" + others;
  }

  /** In GitHub Actions, later steps read the digest, image and tags from $GITHUB_OUTPUT. */
  static void githubOutput(Map<String, String> env, BuildResult result) throws IOException {
    String file = env.get("GITHUB_OUTPUT");
    if (file == null || file.isBlank() || result.targets().isEmpty()) {
      return;
    }
    BuildResult.TargetResult main = result.targets().get(result.targets().size() - 1);
    // image: the reference without its tag, so a workflow can append @digest or any of the tags
    String image = main.ref();
    if (!main.tags().isEmpty() && image.endsWith(":" + main.tags().get(0))) {
      image = image.substring(0, image.length() - main.tags().get(0).length() - 1);
    }
    // images: every image and index written, NAME@DIGEST one per line (what a signing step signs:
    // a Home Assistant app's per-arch images and its generic index)
    String delimiter = "GRAFT_IMAGES_" + main.digest().hex().substring(0, 16);
    StringBuilder images = new StringBuilder();
    for (BuildResult.TargetResult t : result.targets()) {
      images.append(name(t)).append('@').append(t.digest()).append('\n');
    }
    String text = "digest=" + main.digest() + "\n" + "image=" + image + "\n"
        + "tags=" + String.join(",", main.tags()) + "\n"
        + "images<<" + delimiter + "\n" + images + delimiter + "\n";
    Files.writeString(Path.of(file), text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  /** The target without its tag ({@code ghcr.io/acme/amd64-app}), to which @DIGEST or a tag is appended. */
  static String name(BuildResult.TargetResult t) {
    String ref = t.ref();
    for (String tag : t.tags()) {
      if (ref.endsWith(":" + tag)) {
        return ref.substring(0, ref.length() - tag.length() - 1);
      }
    }
    return ref;
  }

  private static List<ImageTarget> allTargets(BuildPlan plan) {
    List<ImageTarget> all = new ArrayList<>(plan.indexTargets());
    plan.platforms().forEach(p -> all.addAll(p.targets()));
    return all;
  }

  static ObjectNode json(BuildResult r) {
    ObjectNode n = Json.object();
    r.indexDigest().ifPresent(d -> n.put("indexDigest", d.toString()));
    ArrayNode ps = n.putArray("platforms");
    for (BuildResult.PlatformResult p : r.platforms()) {
      ObjectNode e = ps.addObject();
      e.put("platform", p.platform().toString());
      e.put("digest", p.manifestDigest().toString());
      e.put("config", p.configDigest().toString());
      ArrayNode ls = e.putArray("layers");
      p.layers().forEach(l -> ls.addObject().put("name", l.name()).put("digest", l.digest().toString())
          .put("diffId", l.diffId().toString()).put("size", l.size()).put("cached", l.cached()));
      p.report().ifPresent(rep -> {
        ArrayNode fs = e.putArray("findings");
        rep.findings().forEach(f -> fs.addObject().put("severity", f.severity().name().toLowerCase())
            .put("code", f.code()).put("path", f.path()).put("message", f.message()));
      });
    }
    ArrayNode ts = n.putArray("targets");
    for (BuildResult.TargetResult t : r.targets()) {
      ObjectNode e = ts.addObject().put("ref", t.ref()).put("name", name(t)).put("digest", t.digest().toString());
      java.util.Optional<BuildResult.PlatformResult> platform = r.platforms().stream()
          .filter(p -> p.manifestDigest().equals(t.digest())).findFirst();
      e.put("kind", platform.isPresent() ? "image" : "index");
      platform.ifPresent(p -> e.put("platform", p.platform().toString()));
      ArrayNode tags = e.putArray("tags");
      t.tags().forEach(tags::add);
    }
    if (!r.attachments().isEmpty()) {
      ArrayNode as = n.putArray("attachments");
      r.attachments().forEach(a -> as.addObject().put("kind", a.kind()).put("subject", a.subject().toString())
          .put("location", a.location()).put("added", a.added()).put("signer", a.signer().isEmpty() ? null : a.signer())
          .put("mediaType", a.mediaType().isEmpty() ? null : a.mediaType()));
    }
    BuildResult.Transfer x = r.transfer();
    n.putObject("blobs").put("uploaded", x.uploaded()).put("bytesUploaded", x.bytesUploaded())
        .put("mounted", x.mounted()).put("bytesMounted", x.bytesMounted())
        .put("skipped", x.skipped()).put("bytesSkipped", x.bytesSkipped())
        .put("written", x.written()).put("bytesWritten", x.bytesWritten());
    return n;
  }
}
