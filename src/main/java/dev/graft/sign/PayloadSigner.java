package dev.graft.sign;

import java.io.IOException;

/**
 * Signs cosign payloads: with a key file ({@link KeySigner}) or keyless (an identity token, a
 * Fulcio certificate and a Rekor entry; {@code dev.graft.keyless}).
 */
public interface PayloadSigner {
  /** The signature of {@code payload} with everything cosign stores beside it. */
  CosignSignature sign(byte[] payload) throws IOException;

  /**
   * Whether {@code stored} is already this signer's signature of {@code payload}, so signing again
   * would add nothing. A key's deterministic signatures can be recognised; keyless ones cannot
   * (each run has its own certificate and log entry), so keyless signers answer false.
   */
  boolean alreadySigned(byte[] payload, CosignSignature stored);

  /** Who signs, in words, for messages (never a secret). */
  String describe();
}
