package dev.graft.sign;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;

/**
 * An ECDSA P-256 key pair to sign with, read from a key file in one of the forms cosign reads:
 * {@code ENCRYPTED SIGSTORE PRIVATE KEY} / {@code ENCRYPTED COSIGN PRIVATE KEY} (written by
 * {@code cosign generate-key-pair}), or plain {@code PRIVATE KEY} (PKCS#8) and {@code EC PRIVATE
 * KEY} (SEC1) PEM as openssl writes them. {@link #toString} never shows the key.
 */
public final class SigningKey {
  static final X9ECParameters P256 = ECNamedCurveTable.getByName("P-256");

  private final ECPrivateKey privateKey;
  private final ECPublicKey publicKey;
  private final String file;

  private SigningKey(ECPrivateKey privateKey, ECPublicKey publicKey, String file) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    this.file = file;
  }

  /**
   * Reads {@code file}; {@code password} is asked for only when the key is encrypted (and must
   * then be present, or the error says which variable to set).
   */
  public static SigningKey read(Path file, Optional<KeyPassword> password) throws IOException {
    byte[] text;
    try {
      text = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new SignException("signing key " + file + " does not exist (make one with `cosign generate-key-pair`"
          + " or `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256`)");
    }
    String name = file.toString();
    List<Pem> blocks = Pem.parse(text);
    Pem pem = blocks.stream().filter(b -> b.type().endsWith("PRIVATE KEY")).findFirst().orElseThrow(() ->
        new SignException("signing key " + name + " holds no PEM private key"
            + (blocks.isEmpty() ? "" : " (found " + blocks.get(0).type() + ")")
            + "; pass the private half of the key pair (cosign.key), not cosign.pub"));
    byte[] pkcs8 = switch (pem.type()) {
      case "ENCRYPTED SIGSTORE PRIVATE KEY", "ENCRYPTED COSIGN PRIVATE KEY" -> {
        KeyPassword pw = password.orElseThrow(() -> new SignException("signing key " + name
            + " is encrypted: set " + KeyPassword.COSIGN_VARIABLE + " (or " + KeyPassword.GRAFT_VARIABLE
            + ") to its password; an empty value is the empty password"));
        byte[] secret = pw.bytes();
        try {
          yield KeyEnvelope.open(pem.bytes(), secret, name + " (password from " + pw.source() + ")");
        } finally {
          Arrays.fill(secret, (byte) 0);
        }
      }
      case "PRIVATE KEY" -> pem.bytes();
      case "EC PRIVATE KEY" -> sec1ToPkcs8(pem.bytes(), name);
      case "RSA PRIVATE KEY", "OPENSSH PRIVATE KEY", "ENCRYPTED PRIVATE KEY" -> throw new SignException(
          "signing key " + name + " is a " + pem.type() + "; graft signs with ECDSA P-256 keys (cosign's default):"
              + " an unencrypted PKCS#8 PEM or cosign's encrypted key file");
      default -> throw new SignException("signing key " + name + " is a '" + pem.type() + "' block, not a key graft reads");
    };
    try {
      return fromPkcs8(pkcs8, name);
    } finally {
      Arrays.fill(pkcs8, (byte) 0);
    }
  }

  private static SigningKey fromPkcs8(byte[] pkcs8, String name) throws SignException {
    ECPrivateKey key;
    try {
      key = (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new SignException("signing key " + name + " is not an ECDSA private key in PKCS#8 form"
          + " (graft signs with ECDSA P-256, cosign's default)");
    }
    if (!key.getParams().getOrder().equals(P256.getN())) {
      throw new SignException("signing key " + name + " is an ECDSA key on a curve other than P-256; cosign's"
          + " keys and graft's signatures use P-256");
    }
    return new SigningKey(key, publicOf(key), name);
  }

  /** The public point d·G: cosign's files hold only the private half, so it is computed. */
  private static ECPublicKey publicOf(ECPrivateKey key) throws SignException {
    org.bouncycastle.math.ec.ECPoint q = P256.getG().multiply(key.getS()).normalize();
    try {
      return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(
          new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()), key.getParams()));
    } catch (GeneralSecurityException e) {
      throw new SignException("cannot derive the public key of " + e.getClass().getSimpleName(), e);
    }
  }

  private static byte[] sec1ToPkcs8(byte[] sec1, String name) throws SignException {
    try {
      org.bouncycastle.asn1.sec.ECPrivateKey parsed = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(sec1);
      var curve = parsed.getParametersObject() != null ? parsed.getParametersObject() : SECObjectIdentifiers.secp256r1;
      return new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve), parsed).getEncoded();
    } catch (IOException | RuntimeException e) {
      throw new SignException("signing key " + name + " is not a readable EC PRIVATE KEY");
    }
  }

  ECPrivateKey privateKey() {
    return privateKey;
  }

  public ECPublicKey publicKey() {
    return publicKey;
  }

  /** The public key as cosign writes cosign.pub (PEM "PUBLIC KEY", PKIX). */
  public String publicKeyPem() {
    return new Pem("PUBLIC KEY", publicKey.getEncoded()).encode();
  }

  /** The key file this came from, for messages. */
  public String file() {
    return file;
  }

  /** A short fingerprint of the public key (sha256 of its PKIX bytes), safe to print. */
  public String keyId() {
    return PublicKeys.keyId(publicKey);
  }

  @Override
  public String toString() {
    return "signing key " + file + " (public " + keyId() + ")";
  }
}
