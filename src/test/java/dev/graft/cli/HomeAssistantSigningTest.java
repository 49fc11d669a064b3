package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.oci.Json;
import dev.graft.oci.Platform;
import dev.graft.testing.CosignKeys;
import dev.graft.testing.GraftProcess;
import dev.graft.testing.RealRegistry;
import dev.graft.testing.RegistryExtension;
import dev.graft.testing.SignatureJudge;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Home Assistant app signed as HA's workflow signs it (each per-arch image in its own repository,
 * the generic index with the manifests it lists in its), with {@code --sign-key} on
 * {@code --addon}: the digests signed are the ones {@code --json} and {@code $GITHUB_OUTPUT} name,
 * and openssl (not graft) verifies each signature with the public key.
 */
class HomeAssistantSigningTest {
  @RegisterExtension
  static final RegistryExtension registry = RegistryExtension.plain();

  @Test
  void anAppsImagesAndIndexAreSignedWhereTheyLiveAndListedForCi(@TempDir Path tmp) throws Exception {
    RealRegistry r = registry.get();
    String base = HomeAssistantApps.pushBase(r, tmp.resolve("alpine"), "home-assistant/base:3.18",
        List.of(Platform.LINUX_AMD64, Platform.LINUX_ARM64));
    CosignKeys.Pair key = CosignKeys.make(tmp.resolve("key"), "app-key-pw");
    Path app = HomeAssistantApps.appsExampleStyle(tmp.resolve("example"), base, r.hostPort() + "/acme/app-example");
    Path outputs = tmp.resolve("github-output");
    GraftProcess.Result run = GraftProcess.run(Map.of("XDG_CACHE_HOME", tmp.resolve("cache").toString(),
        "COSIGN_PASSWORD", key.password(), "GITHUB_OUTPUT", outputs.toString()),
        "build", "--addon", app.toString(), "--sign-key", key.encrypted().toString(), "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = Json.MAPPER.readTree(run.out());

    // $GITHUB_OUTPUT's images: the two per-arch images and the generic index, NAME@DIGEST
    String out = Files.readString(outputs);
    String block = out.substring(out.indexOf("images<<"));
    List<String> images = block.lines().skip(1).limit(3).toList();
    assertThat(images).extracting(l -> l.substring(0, l.indexOf('@'))).containsExactlyInAnyOrder(
        r.hostPort() + "/acme/amd64-app-example", r.hostPort() + "/acme/aarch64-app-example",
        r.hostPort() + "/acme/app-example");
    TreeSet<String> listed = new TreeSet<>();
    for (JsonNode t : json.get("targets")) {
      listed.add(t.get("name").asText() + "@" + t.get("digest").asText());
    }
    assertThat(listed).as("--json's targets are the same").containsExactlyInAnyOrderElementsOf(images);

    TreeSet<String> signedSubjects = new TreeSet<>();
    json.get("attachments").forEach(a -> {
      assertThat(a.get("kind").asText()).isEqualTo("signature");
      signedSubjects.add(a.get("subject").asText());
    });
    assertThat(signedSubjects).as("every digest signed is listed, and every one listed is signed")
        .containsExactlyInAnyOrderElementsOf(images.stream().map(l -> l.substring(l.indexOf('@') + 1)).toList());

    List<String> perArch = new ArrayList<>();
    for (String image : images) {
      String name = image.substring(0, image.indexOf('@'));
      String digest = image.substring(image.indexOf('@') + 1);
      String repo = name.substring(r.hostPort().length() + 1);
      assertSigned(r, repo, digest, key, tmp);
      if (!repo.equals("acme/app-example")) {
        perArch.add(digest);
      }
    }
    // cosign sign --recursive on the index: the manifests it lists are signed in its repository too
    for (String digest : perArch) {
      assertSigned(r, "acme/app-example", digest, key, tmp);
    }
    CliRun verify = CliRun.of("verify-signature", r.hostPort() + "/acme/app-example:1.3.1", "--key",
        key.publicKey().toString());
    assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
  }

  private static void assertSigned(RealRegistry r, String repo, String digest, CosignKeys.Pair key, Path tmp)
      throws Exception {
    List<SignatureJudge.Stored> sigs = SignatureJudge.signatures(r, repo, digest, key.publicKey(), tmp);
    assertThat(sigs).as("signatures of " + repo + "@" + digest).hasSize(1);
    assertThat(sigs.get(0).opensslVerified()).as(sigs.get(0).opensslOutput()).isTrue();
    JsonNode payload = sigs.get(0).payloadJson();
    assertThat(payload.at("/critical/image/docker-manifest-digest").asText()).isEqualTo(digest);
    assertThat(payload.at("/critical/identity/docker-reference").asText()).isEqualTo(r.hostPort() + "/" + repo);
  }
}
