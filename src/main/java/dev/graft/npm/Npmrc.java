package dev.graft.npm;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The registry settings npm would use for a project: {@code registry}, {@code @scope:registry}
 * and credentials keyed by registry path ({@code //host/path/:_authToken}, {@code :_auth},
 * {@code :username} + {@code :_password}), from the project's {@code .npmrc}, the user's
 * ({@code ~/.npmrc} or {@code NPM_CONFIG_USERCONFIG}) and {@code NPM_CONFIG_REGISTRY}, in npm's
 * order (environment over project over user). {@code ${VAR}} in values is replaced from the
 * environment as npm does. Credentials are never part of {@link #toString} or any message.
 */
public final class Npmrc {
  public static final String DEFAULT_REGISTRY = "https://registry.npmjs.org/";
  private static final Pattern ENV_REF = Pattern.compile("(\\\\*)\\$\\{([^${}?]+)(\\?)?}");

  private final Map<String, String> values; // merged: later sources win

  private Npmrc(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  /** Settings from files and environment variables, {@code projectDir}'s .npmrc over the user's. */
  public static Npmrc load(Path projectDir, Path home, Map<String, String> env) throws IOException {
    Map<String, String> merged = new LinkedHashMap<>();
    String userConfig = envValue(env, "userconfig");
    Path user = userConfig != null ? Path.of(userConfig) : home.resolve(".npmrc");
    for (Path p : List.of(user, projectDir.resolve(".npmrc"))) {
      if (Files.isRegularFile(p)) {
        merged.putAll(parse(Files.readString(p, StandardCharsets.UTF_8), env, p.toString()));
      }
    }
    String registry = envValue(env, "registry");
    if (registry != null && !registry.isBlank()) {
      merged.put("registry", registry);
    }
    return new Npmrc(merged);
  }

  /** Settings from .npmrc text alone (tests, and files read elsewhere). */
  public static Npmrc of(String text, Map<String, String> env) {
    return new Npmrc(parse(text, env, ".npmrc"));
  }

  /** npm_config_NAME / NPM_CONFIG_NAME, case-insensitive as npm reads them. */
  private static String envValue(Map<String, String> env, String name) {
    for (Map.Entry<String, String> e : env.entrySet()) {
      String k = e.getKey().toLowerCase(Locale.ROOT);
      if (k.equals("npm_config_" + name)) {
        return e.getValue();
      }
    }
    return null;
  }

  static Map<String, String> parse(String text, Map<String, String> env, String file) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String raw : text.split("\r?\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";") || line.startsWith("[")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String key = line.substring(0, eq).strip();
      String value = line.substring(eq + 1).strip();
      if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
          || value.startsWith("'") && value.endsWith("'"))) {
        value = value.substring(1, value.length() - 1);
      }
      out.put(substitute(key, env), substitute(value, env));
    }
    return out;
  }

  /** ${VAR} from the environment; ${VAR?} may be unset (empty); \${VAR} is kept literally. */
  private static String substitute(String s, Map<String, String> env) {
    Matcher m = ENV_REF.matcher(s);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String escapes = m.group(1);
      String replacement;
      if (escapes.length() % 2 == 1) {
        replacement = escapes.substring(1) + m.group().substring(escapes.length());
      } else {
        String v = env.get(m.group(2));
        if (v == null && m.group(3) == null) {
          replacement = escapes + m.group().substring(escapes.length()); // npm errors; leave it visible
        } else {
          replacement = escapes + (v == null ? "" : v);
        }
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /** The registry for a package name: its scope's {@code @scope:registry}, else {@code registry}. */
  public URI registryFor(String packageName) {
    String r = null;
    if (packageName.startsWith("@") && packageName.contains("/")) {
      r = values.get(packageName.substring(0, packageName.indexOf('/')) + ":registry");
    }
    if (r == null) {
      r = values.getOrDefault("registry", DEFAULT_REGISTRY);
    }
    return URI.create(r.endsWith("/") ? r : r + "/");
  }

  /**
   * Where npm fetches a package's tarball: the lockfile's {@code resolved}, with the public
   * registry's host replaced by the configured one (npm's replace-registry-host default), or,
   * when the lockfile records none, {@code <registry>/<name>/-/<unscoped>-<version>.tgz}.
   */
  public URI tarballUri(LockedPackage p) {
    URI registry = registryFor(p.name());
    if (p.resolved().isPresent()) {
      String resolved = p.resolved().get();
      if (resolved.startsWith(DEFAULT_REGISTRY) && !registry.toString().equals(DEFAULT_REGISTRY)) {
        return URI.create(registry + resolved.substring(DEFAULT_REGISTRY.length()));
      }
      return URI.create(resolved);
    }
    String unscoped = p.name().substring(p.name().lastIndexOf('/') + 1);
    return URI.create(registry + p.name() + "/-/" + unscoped + "-" + p.version() + ".tgz");
  }

  /**
   * The Authorization header value for a request, from the credentials whose registry path is the
   * longest prefix of the URL's ({@code //host/a/b/} tries {@code //host/a/b/}, {@code //host/a/},
   * {@code //host/}), as npm-registry-fetch chooses them; empty when none apply.
   */
  public Optional<String> authorization(URI uri) {
    for (String nerf : nerfDarts(uri)) {
      String token = values.get(nerf + ":_authToken");
      if (token != null && !token.isEmpty()) {
        return Optional.of("Bearer " + token);
      }
      String auth = values.get(nerf + ":_auth");
      if (auth != null && !auth.isEmpty()) {
        return Optional.of("Basic " + auth);
      }
      String user = values.get(nerf + ":username");
      String pass = values.get(nerf + ":_password");
      if (user != null && pass != null) {
        String decoded = new String(Base64.getDecoder().decode(pass), StandardCharsets.UTF_8);
        return Optional.of("Basic " + Base64.getEncoder().encodeToString(
            (user + ":" + decoded).getBytes(StandardCharsets.UTF_8)));
      }
    }
    return Optional.empty();
  }

  /** {@code //host[:port]/path/} and each shorter path prefix, longest first. */
  static List<String> nerfDarts(URI uri) {
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    if (uri.getPort() != -1) {
      host += ":" + uri.getPort();
    }
    String path = uri.getRawPath() == null ? "/" : uri.getRawPath();
    path = path.substring(0, path.lastIndexOf('/') + 1);
    List<String> out = new ArrayList<>();
    while (true) {
      out.add("//" + host + path);
      if (path.equals("/") || path.isEmpty()) {
        break;
      }
      path = path.substring(0, path.lastIndexOf('/', path.length() - 2) + 1);
    }
    return out;
  }

  /** The registries configured (never credentials). */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("registry=" + values.getOrDefault("registry", DEFAULT_REGISTRY));
    values.keySet().stream().filter(k -> k.endsWith(":registry")).sorted()
        .forEach(k -> sb.append(", ").append(k).append('=').append(values.get(k)));
    return sb.toString();
  }
}
