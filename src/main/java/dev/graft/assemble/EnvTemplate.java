package dev.graft.assemble;

import java.util.Map;

/**
 * An env value that uses the base image's environment (see {@link dev.graft.config.ImageConfigSpec#expandEnv()}):
 * {@code ${NAME}} is the base's value of NAME (empty when the base has none), {@code $$} a literal {@code $}.
 */
final class EnvTemplate {
  private EnvTemplate() {}

  static String expand(String template, Map<String, String> baseEnv) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < template.length(); i++) {
      char c = template.charAt(i);
      if (c == '$' && i + 1 < template.length() && template.charAt(i + 1) == '$') {
        out.append('$');
        i++;
      } else if (c == '$' && i + 1 < template.length() && template.charAt(i + 1) == '{') {
        int end = template.indexOf('}', i + 2);
        if (end < 0) {
          throw new IllegalArgumentException("unterminated ${ in env template '" + template + "'");
        }
        out.append(baseEnv.getOrDefault(template.substring(i + 2, end), ""));
        i = end;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
