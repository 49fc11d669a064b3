package dev.graft.sign;

import dev.graft.oci.Digest;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.PublicKey;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;

/**
 * ECDSA P-256 over SHA-256, signatures DER-encoded (what cosign stores and {@code openssl dgst
 * -verify} checks). Signing uses RFC 6979's deterministic nonce: the same key and payload always
 * give the same signature, so signing a digest again writes nothing new.
 */
public final class EcdsaSignatures {
  private EcdsaSignatures() {}

  public static byte[] sign(SigningKey key, byte[] payload) {
    ECDomainParameters domain = new ECDomainParameters(SigningKey.P256);
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, new ECPrivateKeyParameters(key.privateKey().getS(), domain));
    BigInteger[] rs = signer.generateSignature(Digest.newSha256().digest(payload));
    try {
      return new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {new ASN1Integer(rs[0]), new ASN1Integer(rs[1])})
          .getEncoded("DER");
    } catch (IOException e) {
      throw new IllegalStateException("DER encoding of an ECDSA signature failed", e);
    }
  }

  /**
   * Whether {@code signature} (DER) is {@code key}'s (ECDSA, any curve) over {@code payload};
   * malformed signatures and keys of another algorithm are false.
   */
  public static boolean verify(PublicKey key, byte[] payload, byte[] signature) {
    try {
      Signature v = Signature.getInstance("SHA256withECDSA");
      v.initVerify(key);
      v.update(payload);
      return v.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }
}
