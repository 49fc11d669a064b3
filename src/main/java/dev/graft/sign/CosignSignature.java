package dev.graft.sign;

import dev.graft.oci.Require;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One signature as cosign stores it on a signature layer: the DER signature over the payload and,
 * for a keyless signature, the signing certificate (PEM), the chain up to the root (PEM, as
 * Fulcio returned it) and the transparency-log bundle (cosign's Rekor bundle JSON). {@code signer}
 * says in words who signed (a key fingerprint, a certificate identity); it is for messages and
 * never stored.
 */
public record CosignSignature(byte[] signature, Optional<String> certificate, Optional<String> chain,
    Optional<String> bundle, String signer) {
  public CosignSignature {
    signature = signature.clone();
    Require.nonNull("certificate, chain, bundle, signer", certificate, chain, bundle, signer);
  }

  /** A signature made with a key: nothing but the signature is stored. */
  public static CosignSignature ofKey(byte[] signature, String signer) {
    return new CosignSignature(signature, Optional.empty(), Optional.empty(), Optional.empty(), signer);
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  public boolean keyless() {
    return certificate.isPresent();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CosignSignature s && Arrays.equals(s.signature, signature) && s.certificate.equals(certificate)
        && s.chain.equals(chain) && s.bundle.equals(bundle) && s.signer.equals(signer);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(signature), certificate, chain, bundle, signer);
  }

  @Override
  public String toString() {
    return "CosignSignature[" + signer + (keyless() ? ", keyless" : "") + "]";
  }
}
