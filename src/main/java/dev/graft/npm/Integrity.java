package dev.graft.npm;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A Subresource Integrity value as a lockfile's {@code integrity} holds it
 * ({@code sha512-<base64>}; older packages {@code sha1-<base64>}). When a value lists several
 * hashes, the strongest one npm knows is the one checked, as ssri does.
 */
public record Integrity(String algorithm, byte[] digest) {
  /** Strongest last, as ssri ranks them. */
  private static final List<String> KNOWN = List.of("sha1", "sha256", "sha384", "sha512");

  public Integrity {
    Objects.requireNonNull(algorithm, "algorithm");
    if (!KNOWN.contains(algorithm)) {
      throw new IllegalArgumentException("unknown integrity algorithm " + algorithm);
    }
    digest = digest.clone();
    if (digest.length != expectedLength(algorithm)) {
      throw new IllegalArgumentException(algorithm + " digest must be " + expectedLength(algorithm) + " bytes");
    }
  }

  /** The strongest known hash of an SRI string; an error naming {@code what} when there is none. */
  public static Integrity parse(String sri, String what) {
    Integrity best = null;
    for (String token : sri.trim().split("\\s+")) {
      int dash = token.indexOf('-');
      if (dash <= 0) {
        continue;
      }
      String alg = token.substring(0, dash).toLowerCase(Locale.ROOT);
      if (!KNOWN.contains(alg)) {
        continue;
      }
      String b64 = token.substring(dash + 1);
      int q = b64.indexOf('?'); // SRI options
      if (q >= 0) {
        b64 = b64.substring(0, q);
      }
      byte[] d;
      try {
        d = Base64.getDecoder().decode(b64);
      } catch (IllegalArgumentException e) {
        continue;
      }
      if (d.length != expectedLength(alg)) {
        continue;
      }
      if (best == null || KNOWN.indexOf(alg) > KNOWN.indexOf(best.algorithm)) {
        best = new Integrity(alg, d);
      }
    }
    if (best == null) {
      throw new NpmException(what + " has no usable integrity (expected sha512-… or sha1-…, got '" + sri + "')");
    }
    return best;
  }

  public byte[] digest() {
    return digest.clone();
  }

  /** The SRI form of this hash ({@code sha512-<base64>}). */
  @Override
  public String toString() {
    return algorithm + "-" + Base64.getEncoder().encodeToString(digest);
  }

  /** A file-name-safe key for this hash ({@code sha512-<hex>}): the tarball cache's name. */
  public String key() {
    return algorithm + "-" + HexFormat.of().formatHex(digest);
  }

  /** A digester for this algorithm. */
  public MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance(switch (algorithm) {
        case "sha1" -> "SHA-1";
        case "sha256" -> "SHA-256";
        case "sha384" -> "SHA-384";
        default -> "SHA-512";
      });
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether these bytes' digest (from {@link #newDigest}) is this one. */
  public boolean matches(byte[] computed) {
    return MessageDigest.isEqual(digest, computed);
  }

  private static int expectedLength(String alg) {
    return switch (alg) {
      case "sha1" -> 20;
      case "sha256" -> 32;
      case "sha384" -> 48;
      default -> 64;
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Integrity i && i.algorithm.equals(algorithm) && MessageDigest.isEqual(i.digest, digest);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(digest);
  }
}
