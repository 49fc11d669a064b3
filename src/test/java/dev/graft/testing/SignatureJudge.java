package dev.graft.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Judges cosign signatures in a registry with tools that are not graft: skopeo reads the
 * {@code sha256-<hex>.sig} manifest, curl fetches each payload blob, openssl verifies the
 * signature over the stored payload bytes with the public key.
 */
public final class SignatureJudge {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SignatureJudge() {}

  /** One signature layer as stored: the payload bytes and whether openssl verified it. */
  public record Stored(byte[] payload, boolean opensslVerified, String opensslOutput) {
    public JsonNode payloadJson() throws IOException {
      return JSON.readTree(payload);
    }
  }

  /** The raw manifest under {@code tag} (null: {@code repo} ends in "@digest"), read by skopeo, or null when absent. */
  public static JsonNode manifest(RealRegistry r, String repo, String tag) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("skopeo", "inspect", "--raw"));
    cmd.addAll(r.skopeoArgs());
    cmd.add("docker://" + r.hostPort() + "/" + repo + (tag == null ? "" : ":" + tag)); // repo may hold "@digest"
    Tools.Result res = Tools.run(Duration.ofSeconds(60), cmd.toArray(String[]::new));
    if (res.exitCode() != 0) {
      if (res.stderr().contains("manifest unknown")) {
        return null;
      }
      throw new AssertionError("skopeo inspect failed: " + res.stderr());
    }
    return JSON.readTree(res.stdout());
  }

  /** A blob's bytes, fetched with curl straight from the distribution API. */
  public static byte[] blob(RealRegistry r, String repo, String digest, Path work) throws IOException {
    Path file = Files.createTempFile(work, "blob", ".bin");
    List<String> cmd = new ArrayList<>(List.of("curl", "-fsSk", "-o", file.toString()));
    if (r.authenticated()) {
      cmd.addAll(List.of("-u", r.username() + ":" + r.password()));
    }
    cmd.add((r.tls() ? "https" : "http") + "://" + r.hostPort() + "/v2/" + repo + "/blobs/" + digest);
    Tools.runOk(Duration.ofSeconds(60), cmd.toArray(String[]::new));
    return Files.readAllBytes(file);
  }

  /** Every signature layer under {@code sha256-<hex>.sig}, each checked by openssl against {@code publicKey}. */
  public static List<Stored> signatures(RealRegistry r, String repo, String digest, Path publicKey, Path work)
      throws IOException {
    JsonNode manifest = manifest(r, repo, digest.replace(':', '-') + ".sig");
    List<Stored> out = new ArrayList<>();
    if (manifest == null) {
      return out;
    }
    for (JsonNode layer : manifest.path("layers")) {
      byte[] payload = blob(r, repo, layer.path("digest").asText(), work);
      Path payloadFile = Files.createTempFile(work, "payload", ".json");
      Files.write(payloadFile, payload);
      Path sig = Files.createTempFile(work, "sig", ".der");
      Files.write(sig, Base64.getDecoder().decode(layer.path("annotations").path("dev.cosignproject.cosign/signature")
          .asText()));
      Tools.Result res = Tools.run(Duration.ofSeconds(30), "openssl", "dgst", "-sha256", "-verify", publicKey.toString(),
          "-signature", sig.toString(), payloadFile.toString());
      out.add(new Stored(payload, res.exitCode() == 0 && res.stdout().contains("Verified OK"),
          res.stdout() + res.stderr()));
    }
    return out;
  }
}
