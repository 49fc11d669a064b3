package dev.graft.sign;

import java.security.interfaces.ECPublicKey;

/** Accepts the signatures a public key verifies (cosign verify --key). */
public record KeyCheck(ECPublicKey key, String name) implements SignatureCheck {
  public KeyCheck {
    java.util.Objects.requireNonNull(key, "key");
    java.util.Objects.requireNonNull(name, "name");
  }

  @Override
  public Verdict check(byte[] payload, CosignSignature stored) {
    return EcdsaSignatures.verify(key, payload, stored.signature()) ? Verdict.accepted(name)
        : Verdict.refused("not made by " + name);
  }

  @Override
  public String describe() {
    return name;
  }
}
