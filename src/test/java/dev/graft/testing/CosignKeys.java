package dev.graft.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Key pairs in cosign's formats made without graft's code: node's crypto (ECDSA P-256, scrypt) and
 * the npm package tweetnacl (secretbox) write cosign.key (encrypted), plain.pem (PKCS#8) and
 * cosign.pub ({@code testdata/cosign-key/make-key.sh}); openssl writes SEC1 "EC PRIVATE KEY" files.
 */
public final class CosignKeys {
  private CosignKeys() {}

  /** The files of one key pair. */
  public record Pair(Path encrypted, Path plainPkcs8, Path publicKey, String password) {}

  /** A new key pair under {@code dir}, its private half encrypted with {@code password} in a {@code pemType} block. */
  public static Pair make(Path dir, String password, String pemType) throws IOException {
    Tools.require("node");
    Files.createDirectories(dir);
    Tools.runOk(Duration.ofMinutes(3), TestData.projectRoot().resolve("testdata/cosign-key/make-key.sh").toString(),
        dir.toString(), password, pemType);
    return new Pair(dir.resolve("cosign.key"), dir.resolve("plain.pem"), dir.resolve("cosign.pub"), password);
  }

  public static Pair make(Path dir, String password) throws IOException {
    return make(dir, password, "ENCRYPTED SIGSTORE PRIVATE KEY");
  }
}
