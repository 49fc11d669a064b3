package dev.graft.keyless;

import dev.graft.sign.CosignSignature;
import dev.graft.sign.PayloadSigner;
import dev.graft.sign.SignException;
import dev.sigstore.AlgorithmRegistry;
import dev.sigstore.KeylessSigner;
import dev.sigstore.KeylessSignerException;
import dev.sigstore.bundle.Bundle;
import dev.sigstore.encryption.certificates.Certificates;
import dev.sigstore.oidc.client.OidcClients;
import dev.sigstore.oidc.client.TokenStringOidcClient;
import dev.sigstore.rekor.client.RekorEntry;
import dev.sigstore.trustroot.CertificateAuthority;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertPath;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Signs keyless through the Sigstore public-good instance (or another one, given by its trusted
 * root and signing config), with sigstore-java: an identity token
 * (from {@link IdentityTokens}), an ephemeral P-256 key, a Fulcio certificate binding the key to
 * the token's identity, the signature of the payload's sha256, and a hashedrekord entry in Rekor
 * (sigstore-java checks the certificate against the trusted root and the entry against its
 * inclusion proof before it answers). One certificate serves every signature of a run. What is
 * stored is what cosign stores: the signature, the certificate, the chain and the Rekor bundle.
 *
 * <p>The token and the Sigstore configuration are fetched on the first signature, not before:
 * the build's work comes first and the token lives minutes.
 */
public final class SigstoreSigner implements PayloadSigner {
  private final IdentityTokens.Source source;
  private final List<String> secrets = new ArrayList<>();
  private KeylessSigner signer;
  private Sigstore.Instance sigstore;

  private SigstoreSigner(IdentityTokens.Source source, Sigstore.Instance sigstore) {
    this.source = source;
    this.sigstore = sigstore; // null: the public-good instance's, fetched through TUF when signing
    secrets.addAll(source.secrets());
  }

  /**
   * A signer for the identity {@code env} offers, or an error naming what to set (no network),
   * signing with the public-good instance.
   */
  public static SigstoreSigner fromEnvironment(Map<String, String> env) throws SignException {
    return new SigstoreSigner(IdentityTokens.source(env), null);
  }

  /**
   * The same with another Sigstore instance: its trusted root and signing config files (cosign's
   * {@code --trusted-root} and {@code --signing-config}); both are read now, so a bad file is
   * refused before anything is written.
   */
  public static SigstoreSigner fromEnvironment(Map<String, String> env, Path trustedRoot, Path signingConfig)
      throws SignException {
    IdentityTokens.Source source = IdentityTokens.source(env);
    return new SigstoreSigner(source, Sigstore.fromFiles(trustedRoot, signingConfig));
  }

  @Override
  public CosignSignature sign(byte[] payload) throws IOException {
    KeylessSigner s = signer();
    Bundle bundle;
    try {
      bundle = s.sign(MessageDigest.getInstance("SHA-256").digest(payload));
    } catch (KeylessSignerException | GeneralSecurityException | RuntimeException e) {
      throw new SignException("keyless signing failed (" + sigstore.name() + ": Fulcio " + fulcio() + ", Rekor "
          + rekor() + "): "
          + Scrub.message(e, secrets));
    }
    CertPath path = bundle.getCertPath();
    X509Certificate leaf = Certificates.getLeaf(path);
    RekorEntry entry = bundle.getEntries().get(0);
    RekorBundle rekorBundle = new RekorBundle(entry.getVerification().getSignedEntryTimestamp(), entry.getBody(),
        entry.getIntegratedTime(), entry.getLogIndex(), entry.getLogID());
    String who = String.join(", ", FulcioCertificates.identities(leaf)) + " from issuer "
        + FulcioCertificates.issuer(leaf).orElse("(none)");
    return new CosignSignature(bundle.getMessageSignature().orElseThrow().getSignature(),
        Optional.of(Certificates.toPemString(leaf)), Optional.of(chain(path)), Optional.of(rekorBundle.toJson()),
        "keyless: " + who + ", Rekor log index " + entry.getLogIndex());
  }

  /**
   * The certificates above the leaf up to the root, as Fulcio sent them and cosign stores them:
   * sigstore-java trims the trusted CA's certificates off the path, so they are taken back from
   * the trusted root's CA that issued the leaf.
   */
  private String chain(CertPath path) throws IOException {
    List<? extends Certificate> certs = path.getCertificates();
    List<Certificate> above = new ArrayList<>(certs.subList(1, certs.size()));
    X509Certificate top = (X509Certificate) certs.get(certs.size() - 1);
    if (!top.getIssuerX500Principal().equals(top.getSubjectX500Principal())) {
      for (CertificateAuthority ca : sigstore.trustedRoot().getCAs()) {
        List<? extends Certificate> caCerts = ca.getCertPath().getCertificates();
        if (!caCerts.isEmpty() && issued((X509Certificate) caCerts.get(0), top)) {
          above.addAll(caCerts);
          break;
        }
      }
    }
    StringBuilder pem = new StringBuilder();
    for (Certificate c : above) {
      pem.append(Certificates.toPemString(c));
    }
    return pem.toString();
  }

  /** Whether {@code issuer} signed {@code cert}: the names match and its key verifies the signature. */
  private static boolean issued(X509Certificate issuer, X509Certificate cert) {
    if (!cert.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
      return false;
    }
    try {
      cert.verify(issuer.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private KeylessSigner signer() throws SignException {
    if (signer != null) {
      return signer;
    }
    IdentityToken token = source.fetch();
    secrets.add(token.token());
    if (sigstore == null) {
      sigstore = Sigstore.publicGood();
    }
    Sigstore.Instance config = sigstore;
    try {
      signer = KeylessSigner.builder()
          .trustedRootProvider(config::trustedRoot)
          .signingConfigProvider(config::signingConfig)
          .forceCredentialProviders(OidcClients.of(TokenStringOidcClient.from(token.token())))
          .signingAlgorithm(AlgorithmRegistry.SigningAlgorithm.PKIX_ECDSA_P256_SHA_256)
          .build();
    } catch (IOException | GeneralSecurityException | dev.sigstore.trustroot.SigstoreConfigurationException
        | RuntimeException e) {
      throw new SignException("cannot set up keyless signing with the " + config.name() + ": "
          + Scrub.message(e, secrets));
    }
    return signer;
  }

  private String fulcio() {
    return sigstore == null || sigstore.signingConfig().getCas().isEmpty() ? "?"
        : sigstore.signingConfig().getCas().get(0).getUrl().toString();
  }

  private String rekor() {
    return sigstore == null || sigstore.signingConfig().getTLogs().isEmpty() ? "?"
        : sigstore.signingConfig().getTLogs().get(0).getUrl().toString();
  }

  @Override
  public boolean alreadySigned(byte[] payload, CosignSignature stored) {
    return false; // a keyless signature is new each run (its own certificate and log entry), as with cosign
  }

  @Override
  public String describe() {
    return "keyless (" + (sigstore == null ? "Sigstore public-good instance" : sigstore.name())
        + "; identity token from " + source + ")";
  }

  @Override
  public String toString() {
    return describe();
  }
}
