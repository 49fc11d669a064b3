package dev.graft.sign;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PEM blocks (RFC 7468): a type and the bytes between its BEGIN and END lines. */
record Pem(String type, byte[] bytes) {
  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----\\s*(.*?)\\s*-----END \\1-----", Pattern.DOTALL);

  Pem {
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Every block in {@code text}, in order; headers (RFC 1421 "Proc-Type:") are not part of cosign's files. */
  static List<Pem> parse(byte[] text) {
    List<Pem> out = new ArrayList<>();
    Matcher m = BLOCK.matcher(new String(text, StandardCharsets.US_ASCII));
    while (m.find()) {
      String body = m.group(2).replaceAll("\\s+", "");
      try {
        out.add(new Pem(m.group(1), Base64.getDecoder().decode(body)));
      } catch (IllegalArgumentException e) {
        out.add(new Pem(m.group(1), new byte[0])); // an unreadable body: callers refuse it as empty
      }
    }
    return out;
  }

  String encode() {
    String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(bytes);
    return "-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n";
  }

  @Override
  public String toString() {
    return "Pem[" + type + "]"; // never the bytes: they may be a key
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Pem p && p.type.equals(type) && java.util.Arrays.equals(p.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return type.hashCode() * 31 + java.util.Arrays.hashCode(bytes);
  }
}
