package dev.graft.sign;

/**
 * Decides whether one stored signature of a payload is trusted: made by a given public key
 * ({@link KeyCheck}), or keyless by a given certificate identity under given trust roots
 * ({@code dev.graft.keyless}). Checking the payload's contents (that it names the image) is the
 * caller's part.
 */
public interface SignatureCheck {
  Verdict check(byte[] payload, CosignSignature stored);

  /** What is required, in words, e.g. "key cosign.pub" or "identity … from issuer …". */
  String describe();

  /** A check's answer: accepted (with who signed) or refused (with why). */
  record Verdict(boolean accepted, String detail) {
    public Verdict {
      java.util.Objects.requireNonNull(detail, "detail");
    }

    public static Verdict accepted(String signer) {
      return new Verdict(true, signer);
    }

    public static Verdict refused(String reason) {
      return new Verdict(false, reason);
    }
  }
}
