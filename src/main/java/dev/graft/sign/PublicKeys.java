package dev.graft.sign;

import dev.graft.oci.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;

/** Public keys as cosign writes them (cosign.pub: PEM "PUBLIC KEY", PKIX), and their fingerprints. */
public final class PublicKeys {
  private PublicKeys() {}

  public static ECPublicKey read(Path file) throws IOException {
    byte[] text;
    try {
      text = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new SignException("public key " + file + " does not exist");
    }
    Pem pem = Pem.parse(text).stream().filter(p -> p.type().equals("PUBLIC KEY")).findFirst().orElseThrow(() ->
        new SignException("public key " + file + " holds no PEM PUBLIC KEY block (pass cosign.pub, not the private key)"));
    try {
      ECPublicKey key = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(pem.bytes()));
      if (!key.getParams().getOrder().equals(SigningKey.P256.getN())) {
        throw new SignException("public key " + file + " is not on curve P-256");
      }
      return key;
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new SignException("public key " + file + " is not an ECDSA public key (graft verifies ECDSA P-256)");
    }
  }

  /** "sha256:" and the first 16 hex digits of the key's PKIX bytes: enough to tell keys apart in messages. */
  static String keyId(ECPublicKey key) {
    return Digest.sha256(key.getEncoded()).toString().substring(0, "sha256:".length() + 16);
  }
}
