package dev.graft.keyless;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.oci.Digest;
import dev.graft.oci.Json;
import dev.graft.oci.OciFormatException;
import dev.graft.sign.CosignSignature;
import dev.graft.sign.SignatureCheck;
import dev.sigstore.fulcio.client.FulcioVerificationException;
import dev.sigstore.fulcio.client.FulcioVerifier;
import dev.sigstore.trustroot.SigstoreTrustedRoot;
import dev.sigstore.trustroot.TransparencyLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertPath;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Accepts a keyless signature as {@code cosign verify --certificate-identity I
 * --certificate-oidc-issuer O} does from what cosign stores on the layer, without asking Rekor:
 * the certificate chains to a Fulcio CA of the trusted root (and carries a valid embedded SCT from
 * one of its CT logs: sigstore-java's FulcioVerifier); it names exactly the identity and issuer
 * asked for; Rekor's signed entry timestamp over the bundled entry verifies with a log key of the
 * trusted root valid at that time; the entry is a hashedrekord of this payload's sha256, this
 * signature and this certificate; the certificate was valid when the entry was logged; and the
 * certificate's key verifies the signature over the payload.
 */
public final class KeylessCheck implements SignatureCheck {
  private final SigstoreTrustedRoot root;
  private final FulcioVerifier fulcio;
  private final String identity;
  private final String issuer;

  public KeylessCheck(SigstoreTrustedRoot root, String identity, String issuer) throws GeneralSecurityException {
    this.root = Objects.requireNonNull(root, "root");
    this.fulcio = FulcioVerifier.newFulcioVerifier(root);
    this.identity = Objects.requireNonNull(identity, "identity");
    this.issuer = Objects.requireNonNull(issuer, "issuer");
  }

  @Override
  public String describe() {
    return "certificate identity " + identity + " from issuer " + issuer;
  }

  @Override
  public Verdict check(byte[] payload, CosignSignature stored) {
    if (stored.certificate().isEmpty()) {
      return Verdict.refused("a signature made with a key (no certificate), not keyless");
    }
    if (stored.bundle().isEmpty()) {
      return Verdict.refused("a keyless signature without a Rekor bundle (dev.sigstore.cosign/bundle): it was"
          + " never shown to be in the transparency log");
    }
    List<X509Certificate> certs = new ArrayList<>();
    try {
      certs.addAll(FulcioCertificates.parse(stored.certificate().get()));
      if (certs.size() != 1) {
        return Verdict.refused("the certificate annotation holds " + certs.size() + " certificates, not one");
      }
      if (stored.chain().isPresent()) {
        certs.addAll(FulcioCertificates.parse(stored.chain().get()));
      }
    } catch (CertificateException | RuntimeException e) {
      return Verdict.refused("unreadable certificate or chain: " + Scrub.message(e, List.of()));
    }
    X509Certificate leaf = certs.get(0);
    List<String> names = FulcioCertificates.identities(leaf);
    Optional<String> certIssuer = FulcioCertificates.issuer(leaf);
    String who = String.join(", ", names) + " from issuer " + certIssuer.orElse("(none)");
    try {
      CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(certs);
      fulcio.verifySigningCertificate(path);
    } catch (FulcioVerificationException | CertificateException | IOException | RuntimeException e) {
      return Verdict.refused("certificate for " + who + " does not chain to a Fulcio CA of the trusted root with a"
          + " valid SCT: " + Scrub.message(e, List.of()));
    }
    if (!names.contains(identity)) {
      return Verdict.refused("certificate is for " + who + ", not identity " + identity);
    }
    if (!certIssuer.equals(Optional.of(issuer))) {
      return Verdict.refused("certificate for " + who + " is not from issuer " + issuer);
    }
    RekorBundle bundle;
    try {
      bundle = RekorBundle.parse(stored.bundle().get(), "the signature layer");
    } catch (OciFormatException e) {
      return Verdict.refused(e.getMessage());
    }
    Instant logged = Instant.ofEpochSecond(bundle.integratedTime());
    Optional<String> rekor = checkEntryTimestamp(bundle, logged);
    if (rekor.isPresent()) {
      return Verdict.refused(rekor.get());
    }
    Optional<String> body = checkEntry(bundle, payload, stored.signature(), leaf);
    if (body.isPresent()) {
      return Verdict.refused("Rekor entry " + bundle.logIndex() + " " + body.get());
    }
    try {
      leaf.checkValidity(java.util.Date.from(logged));
    } catch (CertificateException e) {
      return Verdict.refused("certificate for " + who + " was not valid when Rekor logged the signature ("
          + logged + "; valid " + leaf.getNotBefore().toInstant() + " to " + leaf.getNotAfter().toInstant() + ")");
    }
    if (!verifies(leaf.getPublicKey(), payload, stored.signature())) {
      return Verdict.refused("the signature does not verify with the key of the certificate for " + who);
    }
    return Verdict.accepted("keyless: " + who + ", Rekor log index " + bundle.logIndex() + " at " + logged);
  }

  /** Rekor's SET over the entry, with the key of the log the entry names, valid when it was logged. */
  private Optional<String> checkEntryTimestamp(RekorBundle bundle, Instant logged) {
    byte[] logId;
    try {
      logId = HexFormat.of().parseHex(bundle.logId());
    } catch (IllegalArgumentException e) {
      return Optional.of("Rekor bundle names log ID '" + bundle.logId() + "', not hex");
    }
    Optional<TransparencyLog> log = TransparencyLog.find(root.getTLogs(), logId, logged);
    if (log.isEmpty()) {
      return Optional.of("Rekor bundle names log " + bundle.logId() + ", which the trusted root has no key for at "
          + logged);
    }
    try {
      PublicKey key = log.get().getPublicKey().toJavaPublicKey();
      byte[] set = Base64.getDecoder().decode(bundle.signedEntryTimestamp());
      if (!verifies(key, bundle.signedContent(), set)) {
        return Optional.of("Rekor's signed entry timestamp does not verify with the key of log " + bundle.logId()
            + " (the bundle was changed, or made by another log)");
      }
    } catch (GeneralSecurityException | IllegalArgumentException | OciFormatException e) {
      return Optional.of("Rekor's signed entry timestamp cannot be checked: " + Scrub.message(e, List.of()));
    }
    return Optional.empty();
  }

  /** The logged entry must be a hashedrekord of this payload, signature and certificate. */
  static Optional<String> checkEntry(RekorBundle bundle, byte[] payload, byte[] signature, X509Certificate leaf) {
    JsonNode entry;
    try {
      entry = Json.parse(Base64.getDecoder().decode(bundle.body()), "Rekor entry body");
    } catch (IllegalArgumentException | OciFormatException e) {
      return Optional.of("has an unreadable body");
    }
    if (!"hashedrekord".equals(entry.path("kind").asText()) || !"0.0.1".equals(entry.path("apiVersion").asText())) {
      return Optional.of("is a " + entry.path("kind").asText("?") + " " + entry.path("apiVersion").asText("?")
          + " entry, not hashedrekord 0.0.1");
    }
    JsonNode spec = entry.path("spec");
    JsonNode hash = spec.path("data").path("hash");
    if (!"sha256".equals(hash.path("algorithm").asText())
        || !Digest.sha256(payload).hex().equals(hash.path("value").asText())) {
      return Optional.of("logs another payload (" + hash.path("algorithm").asText("?") + ":"
          + hash.path("value").asText("?") + ", this one is " + Digest.sha256(payload) + ")");
    }
    try {
      byte[] logged = Base64.getDecoder().decode(spec.path("signature").path("content").asText(""));
      if (!Arrays.equals(logged, signature)) {
        return Optional.of("logs another signature than the one stored");
      }
      String pem = new String(Base64.getDecoder().decode(spec.path("signature").path("publicKey").path("content")
          .asText("")), StandardCharsets.US_ASCII);
      List<X509Certificate> loggedCert = FulcioCertificates.parse(pem);
      if (loggedCert.isEmpty() || !Arrays.equals(loggedCert.get(0).getEncoded(), leaf.getEncoded())) {
        return Optional.of("logs another certificate than the one stored");
      }
    } catch (IllegalArgumentException | CertificateException e) {
      return Optional.of("has an unreadable signature or certificate");
    }
    return Optional.empty();
  }

  /** A signature by {@code key} over {@code content}: ECDSA (Fulcio's and Rekor's keys), RSA or Ed25519. */
  static boolean verifies(PublicKey key, byte[] content, byte[] signature) {
    String algorithm = switch (key.getAlgorithm()) {
      case "EC", "ECDSA" -> "SHA256withECDSA"; // BouncyCastle names its EC keys "ECDSA"
      case "RSA" -> "SHA256withRSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> null;
    };
    if (algorithm == null) {
      return false;
    }
    try {
      Signature v = Signature.getInstance(algorithm);
      v.initVerify(key);
      v.update(content);
      return v.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }
}
