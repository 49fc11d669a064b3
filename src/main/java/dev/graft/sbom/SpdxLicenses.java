package dev.graft.sbom;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * License texts as packages state them (apk's {@code L:}, package.json's {@code license}) turned
 * into SPDX 2.3 license expressions. An identifier on the SPDX license list (the one
 * cyclonedx-core-java ships, a text per id) is kept as written; anything else ("custom",
 * "Public-Domain", "SEE LICENSE IN …") becomes a {@code LicenseRef-} whose original text the
 * document carries in {@code hasExtractedLicensingInfos}, so no package claims a license it did
 * not state. Collects those references for one document.
 */
final class SpdxLicenses {
  private static final Pattern TOKEN = Pattern.compile("\\s*(\\(|\\)|[^\\s()]+)");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9.\\-]+\\+?");

  /** LicenseRef id → the text it stands for. */
  private final Map<String, String> extracted = new TreeMap<>();

  /** An SPDX expression for {@code text}; empty when the package states no license. */
  Optional<String> expression(String text) {
    String t = text.strip();
    if (t.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(parse(t).orElseGet(() -> reference(t)));
  }

  /** The LicenseRefs used so far, by id, with the text each stands for. */
  Map<String, String> extracted() {
    return Map.copyOf(extracted);
  }

  /** The expression with each unknown id replaced, or empty when {@code text} is not an expression at all. */
  private Optional<String> parse(String text) {
    List<String> tokens = new ArrayList<>();
    Matcher m = TOKEN.matcher(text);
    int at = 0;
    while (at < text.length() && m.find(at) && m.start() == at) {
      tokens.add(m.group(1));
      at = m.end();
    }
    if (!text.substring(at).isBlank()) {
      return Optional.empty();
    }
    // grammar: expr := term ((AND|OR) term)*; term := id [WITH id] | '(' expr ')'
    StringBuilder out = new StringBuilder();
    int depth = 0;
    boolean wantTerm = true;
    for (int i = 0; i < tokens.size(); i++) {
      String tok = tokens.get(i);
      String upper = tok.toUpperCase(java.util.Locale.ROOT);
      if (wantTerm) {
        if (tok.equals("(")) {
          depth++;
          out.append('(');
        } else if (!tok.equals(")") && !isOperator(upper)) { // a license: an id on the list, else a LicenseRef
          out.append(license(tok));
          if (i + 2 < tokens.size() && tokens.get(i + 1).equalsIgnoreCase("WITH")) {
            String exception = tokens.get(i + 2);
            if (!known(exception)) {
              return Optional.empty(); // an exception must be on the list: refer to the whole text instead
            }
            out.append(" WITH ").append(exception);
            i += 2;
          }
          wantTerm = false;
        } else {
          return Optional.empty();
        }
      } else if (tok.equals(")") && depth > 0) {
        depth--;
        out.append(')');
      } else if (upper.equals("AND") || upper.equals("OR")) {
        out.append(' ').append(upper).append(' ');
        wantTerm = true;
      } else {
        return Optional.empty();
      }
    }
    return wantTerm || depth != 0 ? Optional.empty() : Optional.of(out.toString().replace("( ", "(").replace(" )", ")"));
  }

  private String license(String id) {
    boolean shaped = ID.matcher(id).matches();
    return shaped && known(id.endsWith("+") ? id.substring(0, id.length() - 1) : id) ? id : reference(id);
  }

  /** A LicenseRef for text that is not on the list; the same text gets the same id in every document. */
  private String reference(String text) {
    String readable = text.replaceAll("[^A-Za-z0-9.\\-]+", "-").replaceAll("^-+|-+$", "");
    if (readable.length() > 40) {
      readable = readable.substring(0, 40);
    }
    String id = "LicenseRef-" + (readable.isEmpty() ? "" : readable + "-")
        + hash(text);
    extracted.put(id, text);
    return id;
  }

  private static String hash(String text) {
    try {
      byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 4);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean isOperator(String upper) {
    return upper.equals("AND") || upper.equals("OR") || upper.equals("WITH");
  }

  /** On the SPDX license list (licenses and exceptions), as cyclonedx-core-java ships it. */
  static boolean known(String id) {
    return !id.contains("/") && !id.contains("..")
        && org.cyclonedx.util.LicenseResolver.class.getResource("/licenses/" + id + ".txt") != null;
  }
}
