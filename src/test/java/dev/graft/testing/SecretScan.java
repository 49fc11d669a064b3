package dev.graft.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Looks for secrets in captured output in every form they travel in: as given, URL-encoded,
 * and inside a Basic authorization value (base64 of user:password, padded or not).
 */
public final class SecretScan {
  private SecretScan() {}

  /** The forms of {@code user}'s {@code secret} that must never be printed. */
  public static List<String> forms(String user, String secret) {
    List<String> forms = new ArrayList<>();
    forms.add(secret);
    forms.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
    String pair = user + ":" + secret;
    forms.add(Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    forms.add(Base64.getEncoder().withoutPadding().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    return forms;
  }

  /** Fails naming where a secret appeared (without printing the secret itself). */
  public static void assertClean(String what, String captured, List<String> secrets) {
    for (int i = 0; i < secrets.size(); i++) {
      String s = secrets.get(i);
      assertThat(s).as("secret #%d is too short to search for", i).hasSizeGreaterThanOrEqualTo(8);
      assertThat(captured.contains(s)).as("%s contains secret form #%d", what, i).isFalse();
    }
  }
}
