package dev.graft.testing;

import dev.graft.sign.CosignSignature;
import dev.graft.sign.PayloadSigner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A stand-in for Sigstore's public-good instance, made by openssl (testdata/keyless/make-fulcio.sh):
 * a Fulcio-like CA whose leaf certificate names an identity and an OIDC issuer and carries an
 * embedded SCT from a test CT log, a test Rekor key, and a trusted_root.json trusting exactly
 * these. Fulcio, Rekor and GitHub's token service cannot be reached from here; this lets the
 * storage layout and graft's verification of keyless signatures be judged offline.
 */
public final class StandInSigstore {
  private final Path dir;
  private final String identity;
  private final String issuer;

  private StandInSigstore(Path dir, String identity, String issuer) {
    this.dir = dir;
    this.identity = identity;
    this.issuer = issuer;
  }

  public static StandInSigstore make(Path dir, String identity, String issuer) throws IOException {
    return make(dir, identity, issuer, "https://rekor.graft.test");
  }

  /** The same, with the trusted root naming its Rekor log at {@code rekorUrl} (a {@link StandInRekor}). */
  public static StandInSigstore make(Path dir, String identity, String issuer, String rekorUrl) throws IOException {
    Tools.require("openssl");
    Tools.require("python3");
    Tools.runOk(Duration.ofMinutes(2), TestData.projectRoot().resolve("testdata/keyless/make-fulcio.sh").toString(),
        dir.toString(), identity, issuer, rekorUrl);
    return new StandInSigstore(dir, identity, issuer);
  }

  /**
   * A signing config (Sigstore's signing_config.json, v0.2) sending clients to {@code fulcioUrl}
   * and {@code rekorUrl}: what cosign's and graft's --signing-config read.
   */
  public Path signingConfig(String fulcioUrl, String rekorUrl) throws IOException {
    String since = "{\"start\":\"2020-01-01T00:00:00Z\"}";
    String json = "{\"mediaType\":\"application/vnd.dev.sigstore.signingconfig.v0.2+json\","
        + "\"caUrls\":[{\"url\":\"" + fulcioUrl + "\",\"majorApiVersion\":1,\"validFor\":" + since
        + ",\"operator\":\"graft-test\"}],"
        + "\"oidcUrls\":[],"
        + "\"rekorTlogUrls\":[{\"url\":\"" + rekorUrl + "\",\"majorApiVersion\":1,\"validFor\":" + since
        + ",\"operator\":\"graft-test\"}],"
        + "\"rekorTlogConfig\":{\"selector\":\"ANY\"},"
        + "\"tsaUrls\":[],"
        + "\"tsaConfig\":{\"selector\":\"ANY\"}}";
    return Files.writeString(dir.resolve("signing_config.json"), json);
  }

  public Path dir() {
    return dir;
  }

  public Path trustedRoot() {
    return dir.resolve("trusted_root.json");
  }

  public String identity() {
    return identity;
  }

  public String issuer() {
    return issuer;
  }

  /** How a signature is spoiled, to see verification refuse it. */
  public enum Spoil {
    NONE,
    /** Rekor's signed entry timestamp made with a key that is not the log's. */
    FOREIGN_SET,
    /** The logged entry is of another payload than the one stored. */
    OTHER_PAYLOAD_LOGGED,
    /** No Rekor bundle stored at all. */
    NO_BUNDLE
  }

  /**
   * Signs as a keyless signer would (the leaf's key signs; the Rekor entry and its SET are made
   * by openssl and python in sign-payload.sh), for graft's storage code to store.
   */
  public PayloadSigner signer(Spoil spoil, long logIndex) {
    return new PayloadSigner() {
      @Override
      public CosignSignature sign(byte[] payload) throws IOException {
        Path work = Files.createTempDirectory(dir, "sign");
        Path file = work.resolve("payload.json");
        Files.write(file, payload);
        Path logged = file;
        if (spoil == Spoil.OTHER_PAYLOAD_LOGGED) {
          logged = work.resolve("other.json");
          Files.writeString(logged, "{\"another\":\"payload\"}");
        }
        Path out = work.resolve("sig");
        String setKey = spoil == Spoil.FOREIGN_SET ? dir.resolve("ctlog.key").toString() : dir.resolve("rekor.key")
            .toString();
        Tools.runOk(Duration.ofMinutes(1), TestData.projectRoot().resolve("testdata/keyless/sign-payload.sh").toString(),
            dir.toString(), logged.toString(), out.toString(), Long.toString(logIndex), setKey);
        byte[] der = java.util.Base64.getDecoder().decode(Files.readString(work.resolve("sig.sig")).strip());
        if (spoil == Spoil.OTHER_PAYLOAD_LOGGED) {
          // the stored signature is over the stored payload; only the log entry is of another
          Path real = work.resolve("real");
          Tools.runOk(Duration.ofMinutes(1), "openssl", "dgst", "-sha256", "-sign", dir.resolve("leaf.key").toString(),
              "-out", real.toString(), file.toString());
          der = Files.readAllBytes(real);
        }
        Optional<String> bundle = spoil == Spoil.NO_BUNDLE ? Optional.empty()
            : Optional.of(Files.readString(work.resolve("sig.bundle.json")));
        return new CosignSignature(der, Optional.of(Files.readString(dir.resolve("leaf.pem"), StandardCharsets.US_ASCII)),
            Optional.of(Files.readString(dir.resolve("chain.pem"), StandardCharsets.US_ASCII)), bundle,
            "stand-in keyless: " + identity);
      }

      @Override
      public boolean alreadySigned(byte[] payload, CosignSignature stored) {
        return false;
      }

      @Override
      public String describe() {
        return "stand-in keyless signer";
      }
    };
  }
}
