package dev.graft.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.graft.oci.Json;
import dev.graft.testing.ExampleApp;
import dev.graft.testing.RegistryExtension;
import dev.graft.testing.TestData;
import dev.graft.testing.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * action.yml's inputs reach `graft build` as the flags docs/github-action.md promises: the
 * action's build step (its bash, as GitHub would run it) runs here with graft on PATH, pushes
 * the example to a real registry, and leaves digest/image/tags in $GITHUB_OUTPUT. GitHub itself
 * (setup-java, the runner) cannot run here.
 */
class ActionTest {
  @RegisterExtension
  static final RegistryExtension registry = RegistryExtension.plain();

  static final Path ACTION = TestData.projectRoot().resolve("action.yml");
  private static final Pattern INPUT = Pattern.compile("\\$\\{\\{ inputs\\.([a-z-]+) }}");

  static JsonNode action() throws IOException {
    return new ObjectMapper(new YAMLFactory()).readTree(ACTION.toFile());
  }

  static JsonNode step(String id) throws IOException {
    for (JsonNode s : action().get("runs").get("steps")) {
      if (id.equals(s.path("id").asText())) {
        return s;
      }
    }
    throw new AssertionError("action.yml has no step " + id);
  }

  @Test
  void everyInputReachesAStepAndEveryOutputComesFromGraft() throws IOException {
    JsonNode action = action();
    String steps = action.get("runs").get("steps").toString();
    List<String> used = new ArrayList<>();
    Matcher m = INPUT.matcher(steps);
    while (m.find()) {
      used.add(m.group(1));
    }
    List<String> declared = new ArrayList<>();
    action.get("inputs").fieldNames().forEachRemaining(declared::add);
    assertThat(used).as("inputs used by the steps").containsExactlyInAnyOrderElementsOf(declared);
    assertThat(action.get("runs").get("using").asText()).isEqualTo("composite");
    List<String> outputs = new ArrayList<>();
    action.get("outputs").fields().forEachRemaining(e -> {
      outputs.add(e.getKey());
      assertThat(e.getValue().get("value").asText()).isEqualTo("${{ steps.build.outputs." + e.getKey() + " }}");
    });
    assertThat(outputs).containsExactly("digest", "image", "tags", "images");
    // each INPUT_* variable the build step is given is read by its script (GRAFT_*, GITHUB_TOKEN: by graft)
    JsonNode build = step("build");
    build.get("env").fieldNames().forEachRemaining(v -> {
      if (v.startsWith("INPUT_")) {
        assertThat(build.get("run").asText()).as(v).contains("$" + v);
      }
    });
    // the docs table names every input
    String doc = Files.readString(TestData.projectRoot().resolve("docs/github-action.md"));
    declared.forEach(i -> assertThat(doc).as("docs/github-action.md").contains("`" + i + "`"));
  }

  @Test
  void theBuildStepMapsInputsToFlagsPushesAndSetsTheOutputs(@TempDir Path tmp) throws Exception {
    Path app = ExampleApp.copyTo(tmp.resolve("app"));
    String repo = registry.get().hostPort() + "/acme/action-app";
    Map<String, String> inputs = new LinkedHashMap<>();
    inputs.put("file", app.resolve("graft.yaml").toString());
    inputs.put("to", repo);
    inputs.put("tags", "1.2.3, latest");
    inputs.put("platforms", "linux/amd64,aarch64");
    inputs.put("set", "config.env.NODE_ENV=staging\nconfig.labels.built-by=the action\n");
    inputs.put("cache-dir", tmp.resolve("cache").toString());
    Path output = Files.createFile(tmp.resolve("github-output"));
    Result r = runStep(step("build"), inputs, tmp, Map.of("GITHUB_OUTPUT", output.toString()));
    assertThat(r.code()).as(r.out()).isZero();
    assertThat(r.out()).contains("graft build --verify strict --file " + inputs.get("file") + " --cache-dir "
        + inputs.get("cache-dir") + " --to " + repo + " --tag 1.2.3 --tag latest --platform linux/amd64"
        + " --platform aarch64 --set config.env.NODE_ENV=staging --set config.labels.built-by=the action");

    Map<String, String> out = githubOutputs(Files.readAllLines(output));
    assertThat(out).containsOnlyKeys("digest", "image", "tags", "images");
    // images: what was pushed, by digest (here the index; its platforms' images are in it)
    assertThat(out.get("images").lines().toList()).allMatch(l -> l.startsWith(repo + "@sha256:"))
        .contains(repo + "@" + out.get("digest"));
    assertThat(out.get("image")).isEqualTo(repo);
    assertThat(out.get("tags")).isEqualTo("1.2.3,latest");
    // skopeo, an independent client, finds the two-platform index under both tags, with the --set values
    for (String tag : List.of("1.2.3", "latest")) {
      String raw = Tools.runOk(Duration.ofMinutes(1), "skopeo", "inspect", "--tls-verify=false", "--raw",
          "docker://" + repo + ":" + tag).stdout();
      assertThat(Json.MAPPER.readTree(raw).get("manifests")).hasSize(2);
      assertThat(sha256(raw)).isEqualTo(out.get("digest"));
    }
    JsonNode config = Json.MAPPER.readTree(Tools.runOk(Duration.ofMinutes(1), "skopeo", "inspect",
        "--tls-verify=false", "--override-arch", "arm64", "--config", "docker://" + repo + ":1.2.3").stdout());
    assertThat(config.get("config").get("Env").toString()).contains("NODE_ENV=staging");
    assertThat(config.get("config").get("Labels").get("built-by").asText()).isEqualTo("the action");
  }

  /** $GITHUB_OUTPUT as GitHub reads it: NAME=VALUE lines and NAME<<DELIMITER ... DELIMITER blocks. */
  static Map<String, String> githubOutputs(List<String> lines) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      int heredoc = l.indexOf("<<");
      int eq = l.indexOf('=');
      if (heredoc > 0 && (eq < 0 || heredoc < eq)) {
        String delimiter = l.substring(heredoc + 2);
        StringBuilder value = new StringBuilder();
        for (i++; !lines.get(i).equals(delimiter); i++) {
          value.append(lines.get(i)).append('\n');
        }
        out.put(l.substring(0, heredoc), value.toString());
      } else {
        out.put(l.substring(0, eq), l.substring(eq + 1));
      }
    }
    return out;
  }

  @Test
  void aWrongInputFailsTheStepWithGraftsOneLineError(@TempDir Path tmp) throws Exception {
    Path app = ExampleApp.copyTo(tmp.resolve("app"));
    Result r = runStep(step("build"), Map.of("file", app.resolve("graft.yaml").toString(), "verify", "sometimes",
        "to", "oci-archive:" + tmp.resolve("x.tar")), tmp, Map.of("GITHUB_OUTPUT", tmp.resolve("o").toString()));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).contains("graft: error: ").contains("sometimes");
    assertThat(tmp.resolve("x.tar")).doesNotExist();
  }

  /**
   * sign-key, sbom and provenance reach graft: the signature of what was pushed verifies with
   * openssl, and the SPDX SBOM and the provenance are the image's referrers (fallback tag). A
   * keyless input without an identity token, and a switch that is neither true nor false, fail
   * the step before anything is pushed.
   */
  @Test
  void theSupplyChainInputsSignAndAttach(@TempDir Path tmp) throws Exception {
    Path app = ExampleApp.copyTo(tmp.resolve("app"));
    dev.graft.testing.RealRegistry reg = registry.get();
    String repo = reg.hostPort() + "/acme/action-signed";
    dev.graft.testing.CosignKeys.Pair key = dev.graft.testing.CosignKeys.make(tmp.resolve("key"), "action-key-pw");
    Map<String, String> inputs = new LinkedHashMap<>();
    inputs.put("file", app.resolve("graft.yaml").toString());
    inputs.put("to", repo + ":1.0");
    inputs.put("platforms", "linux/amd64");
    inputs.put("cache-dir", tmp.resolve("cache").toString());
    inputs.put("sign-key", key.encrypted().toString());
    inputs.put("sbom", "spdx");
    inputs.put("provenance", "true");
    Path output = Files.createFile(tmp.resolve("github-output"));
    Result r = runStep(step("build"), inputs, tmp, Map.of("GITHUB_OUTPUT", output.toString(),
        "COSIGN_PASSWORD", key.password()));
    assertThat(r.code()).as(r.out()).isZero();
    assertThat(r.out()).contains(" --sign-key " + key.encrypted() + " --sbom-format spdx --provenance")
        .doesNotContain(key.password());
    String digest = githubOutputs(Files.readAllLines(output)).get("digest");
    List<dev.graft.testing.SignatureJudge.Stored> sigs = dev.graft.testing.SignatureJudge.signatures(reg,
        "acme/action-signed", digest, key.publicKey(), tmp);
    assertThat(sigs).hasSize(1);
    assertThat(sigs.get(0).opensslVerified()).as(sigs.get(0).opensslOutput()).isTrue();
    JsonNode referrers = dev.graft.testing.SignatureJudge.manifest(reg, "acme/action-signed",
        digest.replace(':', '-'));
    assertThat(referrers.findValuesAsText("artifactType")).contains("application/spdx+json",
        "application/vnd.in-toto+json");

    inputs.remove("sign-key");
    inputs.put("to", repo + ":2.0");
    inputs.put("keyless", "true");
    Result keyless = runStep(step("build"), inputs, tmp, Map.of("GITHUB_OUTPUT", output.toString()));
    assertThat(keyless.code()).isNotZero();
    assertThat(keyless.out()).contains(" --keyless", "--keyless needs an OIDC identity token");
    inputs.put("keyless", "yes");
    Result wrong = runStep(step("build"), inputs, tmp, Map.of("GITHUB_OUTPUT", output.toString()));
    assertThat(wrong.code()).isEqualTo(2);
    assertThat(wrong.out()).contains("graft: error: the action's input keyless is 'yes': use true or false");
    assertThat(dev.graft.testing.SignatureJudge.manifest(reg, "acme/action-signed", "2.0")).as("nothing pushed")
        .isNull();
  }

  record Result(int code, String out) {}

  /** The "Get graft" step with {@code bundle} set, as a runner would run it. */
  static Result runGetGraft(Path bundle, Path runnerTemp, Path githubPath, Path tmp) throws Exception {
    return runStep(step("graft"), Map.of("bundle", bundle.toString()), tmp, Map.of("RUNNER_TEMP",
        runnerTemp.toString(), "GITHUB_PATH", githubPath.toString()));
  }

  /**
   * Runs a step's bash as GitHub does (`bash -e {0}` after its own `set -euo pipefail`), with its
   * env: `${{ inputs.X }}` from {@code inputs}, else the input's default; other expressions empty.
   */
  static Result runStep(JsonNode step, Map<String, String> inputs, Path tmp, Map<String, String> more)
      throws Exception {
    JsonNode declared = action().get("inputs");
    Path script = tmp.resolve("step.sh");
    Files.writeString(script, step.get("run").asText());
    ProcessBuilder pb = new ProcessBuilder("bash", "-e", script.toString()).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("GRAFT_") || k.startsWith("GITHUB_"));
    step.get("env").fields().forEachRemaining(e -> {
      Matcher m = INPUT.matcher(e.getValue().asText());
      String value = "";
      if (m.matches()) {
        String name = m.group(1);
        String dflt = declared.get(name).path("default").asText("");
        value = inputs.getOrDefault(name, dflt.startsWith("${{") ? "" : dflt);
      }
      env.put(e.getKey(), value);
    });
    env.put("PATH", graftOnPath(tmp) + ":" + System.getenv("PATH"));
    env.putAll(more);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    return new Result(p.exitValue(), out);
  }

  /** A directory with `graft`: this build of graft (the test class path), as the bundle's launcher would run it. */
  static Path graftOnPath(Path tmp) throws IOException {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path graft = bin.resolve("graft");
    Files.writeString(graft, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
        + "' -cp '" + System.getProperty("java.class.path") + "' dev.graft.cli.Main \"$@\"\n");
    Files.setPosixFilePermissions(graft, PosixFilePermissions.fromString("rwxr-xr-x"));
    return bin;
  }

  private static String sha256(String s) throws Exception {
    return "sha256:" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(s.getBytes(StandardCharsets.UTF_8)));
  }
}
