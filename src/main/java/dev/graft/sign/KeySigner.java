package dev.graft.sign;

/** Signs with a key pair read from a key file: deterministic signatures, recognised when already stored. */
public record KeySigner(SigningKey key) implements PayloadSigner {
  public KeySigner {
    java.util.Objects.requireNonNull(key, "key");
  }

  @Override
  public CosignSignature sign(byte[] payload) {
    return CosignSignature.ofKey(EcdsaSignatures.sign(key, payload), describe());
  }

  @Override
  public boolean alreadySigned(byte[] payload, CosignSignature stored) {
    return EcdsaSignatures.verify(key.publicKey(), payload, stored.signature());
  }

  @Override
  public String describe() {
    return key.keyId();
  }
}
