package dev.graft.sign;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.oci.Json;
import dev.graft.oci.OciFormatException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.generators.SCrypt;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * The body of cosign's encrypted key files (go-securesystemslib's "encrypted" format): a JSON
 * object naming the scrypt parameters and salt, a nacl secretbox nonce, and the ciphertext of the
 * PKCS#8 key. The key is scrypt(password, salt, N, r, p, 32); secretbox is XSalsa20 whose first 32
 * keystream bytes key a Poly1305 tag over the rest.
 */
final class KeyEnvelope {
  private KeyEnvelope() {}

  /** Decrypts {@code envelope} with {@code password} (UTF-8 bytes, as cosign's Go code uses). */
  static byte[] open(byte[] envelope, byte[] password, String file) throws SignException {
    JsonNode root;
    try {
      root = Json.parse(envelope, "the encrypted key in " + file);
    } catch (OciFormatException e) {
      throw new SignException(e.getMessage() + " (expected cosign's encrypted key format)");
    }
    String kdf = root.path("kdf").path("name").asText("");
    String cipher = root.path("cipher").path("name").asText("");
    if (!kdf.equals("scrypt") || !cipher.equals("nacl/secretbox")) {
      throw new SignException("the key in " + file + " is encrypted with kdf '" + kdf + "' and cipher '" + cipher
          + "'; graft reads cosign's scrypt + nacl/secretbox keys");
    }
    JsonNode params = root.path("kdf").path("params");
    int n = params.path("N").asInt(-1);
    int r = params.path("r").asInt(-1);
    int p = params.path("p").asInt(-1);
    // The three parameter sets cosign and go-securesystemslib write; anything else is refused as
    // they refuse it (and an arbitrary N could ask for any amount of memory).
    if (!(r == 8 && p == 1 && (n == 1 << 15 || n == 1 << 16 || n == 1 << 17))) {
      throw new SignException("the key in " + file + " uses unsupported scrypt parameters N=" + n + " r=" + r
          + " p=" + p + " (cosign writes N=32768, 65536 or 131072 with r=8, p=1)");
    }
    byte[] salt = base64(root.path("kdf").path("salt"), "salt", file);
    byte[] nonce = base64(root.path("cipher").path("nonce"), "nonce", file);
    byte[] boxed = base64(root.path("ciphertext"), "ciphertext", file);
    if (nonce.length != 24 || boxed.length < 16) {
      throw new SignException("the key in " + file + " is damaged (nonce of " + nonce.length + " bytes, ciphertext of "
          + boxed.length + ")");
    }
    byte[] key = SCrypt.generate(password, salt, n, r, p, 32);
    try {
      return secretboxOpen(boxed, nonce, key, file);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  private static byte[] secretboxOpen(byte[] boxed, byte[] nonce, byte[] key, String file) throws SignException {
    XSalsa20Engine salsa = new XSalsa20Engine();
    salsa.init(false, new ParametersWithIV(new KeyParameter(key), nonce));
    byte[] macKey = new byte[32];
    salsa.processBytes(new byte[32], 0, 32, macKey, 0);
    Poly1305 mac = new Poly1305();
    mac.init(new KeyParameter(macKey));
    mac.update(boxed, 16, boxed.length - 16);
    byte[] tag = new byte[16];
    mac.doFinal(tag, 0);
    Arrays.fill(macKey, (byte) 0);
    if (!MessageDigest.isEqual(tag, Arrays.copyOfRange(boxed, 0, 16))) {
      throw new SignException("cannot decrypt the key in " + file + ": wrong password (or a damaged file)");
    }
    byte[] plain = new byte[boxed.length - 16];
    salsa.processBytes(boxed, 16, plain.length, plain, 0);
    return plain;
  }

  private static byte[] base64(JsonNode node, String field, String file) throws SignException {
    try {
      if (!node.isTextual()) {
        throw new IllegalArgumentException("missing");
      }
      return Base64.getDecoder().decode(node.asText());
    } catch (IllegalArgumentException e) {
      throw new SignException("the key in " + file + " has no readable " + field + " (expected cosign's encrypted key format)");
    }
  }
}
