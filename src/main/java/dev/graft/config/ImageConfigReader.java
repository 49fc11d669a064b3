package dev.graft.config;

import dev.graft.config.YamlNode.MapNode;
import dev.graft.config.YamlNode.Scalar;
import dev.graft.config.YamlNode.ScalarType;
import dev.graft.oci.Healthcheck;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads graft.yaml's {@code config} mapping into an {@link ImageConfigSpec}. */
final class ImageConfigReader {
  private static final Pattern PORT = Pattern.compile("(\\d{1,5})(?:/(tcp|udp|sctp))?");
  private static final Pattern SIGNAL = Pattern.compile("SIG[A-Z0-9]+(?:[+-]\\d+)?|\\d{1,2}");
  private static final Pattern DURATION = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m(?!s))?(?:(\\d+)s)?(?:(\\d+)ms)?");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final TypedYaml r;

  ImageConfigReader(TypedYaml r) {
    this.r = r;
  }

  /** The config, or null after recording its problems. */
  ImageConfigSpec read(YamlNode n) {
    MapNode m = r.map(n, "config", "a mapping (env, workdir, entrypoint, cmd, user, ports, labels, ...)");
    if (m == null) {
      return null;
    }
    int before = r.problems.size();
    r.checkKeys(m, "config", Keys.CONFIG);
    Map<String, String> env = m.get("env") == null ? Map.of()
        : r.textMap(m.get("env"), "config.env", "a mapping of variable names to values");
    if (env != null && m.get("env") instanceof MapNode envNode) {
      envNode.entries().forEach((k, e) -> {
        if (!ENV_NAME.matcher(k).matches()) {
          r.problem(e.keyPos(), "config.env." + k, "bad environment variable name '" + k + "' in config.env");
        }
      });
    }
    Optional<String> workdir = absolute(m.get("workdir"), "config.workdir");
    Optional<List<String>> entrypoint = command(m.get("entrypoint"), "config.entrypoint");
    Optional<List<String>> cmd = command(m.get("cmd"), "config.cmd");
    Optional<String> user = Optional.empty();
    if (m.get("user") != null) {
      String u = r.text(m.get("user"), "config.user", "a user name or uid[:gid]");
      user = Optional.ofNullable(u);
    }
    List<String> ports = m.get("ports") == null ? List.of() : ports(m.get("ports"));
    Map<String, String> labels = m.get("labels") == null ? Map.of()
        : r.textMap(m.get("labels"), "config.labels", "a mapping of label names to values");
    List<String> volumes = new ArrayList<>();
    if (m.get("volumes") != null) {
      List<String> vs = r.strings(m.get("volumes"), "config.volumes", "a list of absolute paths", false);
      for (String v : vs == null ? List.<String>of() : vs) {
        if (!v.startsWith("/")) {
          r.problem(m.get("volumes"), "config.volumes", "volume '" + v + "' must be an absolute path");
        }
        volumes.add(v);
      }
    }
    Optional<String> stopSignal = Optional.empty();
    if (m.get("stopSignal") != null) {
      String s = r.text(m.get("stopSignal"), "config.stopSignal", "a signal name (SIGTERM) or number");
      if (s != null && !SIGNAL.matcher(s).matches()) {
        r.problem(m.get("stopSignal"), "config.stopSignal", "'config.stopSignal' must be a signal like SIGTERM or SIGINT, "
            + "or its number, got '" + s + "'");
      }
      stopSignal = Optional.ofNullable(s);
    }
    Optional<Healthcheck> health = m.get("healthcheck") == null ? Optional.empty()
        : Optional.ofNullable(healthcheck(m.get("healthcheck")));
    if (r.problems.size() > before) {
      return null;
    }
    return new ImageConfigSpec(env, workdir, entrypoint, cmd, user, ports, labels, volumes, stopSignal, health);
  }

  private Optional<String> absolute(YamlNode n, String key) {
    if (n == null) {
      return Optional.empty();
    }
    String v = r.string(n, key, "an absolute path");
    if (v != null && !v.startsWith("/")) {
      r.problem(n, key, "'" + key + "' must be an absolute path, got '" + v + "'");
      return Optional.empty();
    }
    return Optional.ofNullable(v);
  }

  /** Exec form only: a string would need a shell the image may not have, so it is refused with the fix. */
  private Optional<List<String>> command(YamlNode n, String key) {
    if (n == null) {
      return Optional.empty();
    }
    if (n instanceof Scalar s && s.type() == ScalarType.STRING) {
      r.problem(n, key, "'" + key + "' must be a list (exec form), e.g. [" + String.join(", ", s.text().split("\\s+"))
          + "], got a string");
      return Optional.empty();
    }
    return Optional.ofNullable(r.strings(n, key, "a list (exec form), e.g. [node, index.js]", true));
  }

  private List<String> ports(YamlNode n) {
    YamlNode.ListNode l = r.list(n, "config.ports", "a list of ports (8099 or 8099/tcp, 53/udp)");
    if (l == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < l.items().size(); i++) {
      YamlNode item = l.items().get(i);
      String key = "config.ports[" + i + "]";
      String v = r.text(item, key, "a port (8099 or 8099/tcp)");
      if (v == null) {
        continue;
      }
      Matcher pm = PORT.matcher(v);
      if (!pm.matches() || Integer.parseInt(pm.group(1)) < 1 || Integer.parseInt(pm.group(1)) > 65535) {
        r.problem(item, key, "bad port '" + v + "' in config.ports (a number 1-65535, optionally /tcp, /udp or /sctp)");
        continue;
      }
      String norm = Integer.parseInt(pm.group(1)) + "/" + (pm.group(2) == null ? "tcp" : pm.group(2));
      if (!out.contains(norm)) {
        out.add(norm);
      }
    }
    return out;
  }

  private Healthcheck healthcheck(YamlNode n) {
    MapNode m = r.map(n, "config.healthcheck", "a mapping (test, interval, timeout, startPeriod, retries)");
    if (m == null) {
      return null;
    }
    r.checkKeys(m, "config.healthcheck", Keys.HEALTHCHECK);
    List<String> test = null;
    if (m.get("test") == null) {
      r.problem(m, "config.healthcheck.test", "config.healthcheck needs 'test', e.g. [CMD, node, healthcheck.js]");
    } else {
      test = r.strings(m.get("test"), "config.healthcheck.test", "a list starting with CMD, CMD-SHELL or NONE", true);
      if (test != null && (test.isEmpty() || !List.of("NONE", "CMD", "CMD-SHELL").contains(test.get(0)))) {
        r.problem(m.get("test"), "config.healthcheck.test",
            "'config.healthcheck.test' must start with CMD, CMD-SHELL or NONE, e.g. [CMD, node, healthcheck.js]");
        test = null;
      }
    }
    Optional<Duration> interval = duration(m.get("interval"), "config.healthcheck.interval");
    Optional<Duration> timeout = duration(m.get("timeout"), "config.healthcheck.timeout");
    Optional<Duration> start = duration(m.get("startPeriod"), "config.healthcheck.startPeriod");
    Optional<Integer> retries = m.get("retries") == null ? Optional.empty()
        : Optional.ofNullable(r.integer(m.get("retries"), "config.healthcheck.retries", "a count from 0 to 1000", 0, 1000));
    return test == null ? null : new Healthcheck(test, interval, timeout, start, retries);
  }

  /** Go-style durations as Docker writes them: 30s, 1m30s, 500ms, 1h. */
  private Optional<Duration> duration(YamlNode n, String key) {
    if (n == null) {
      return Optional.empty();
    }
    String v = r.text(n, key, "a duration like 30s or 1m30s");
    if (v == null) {
      return Optional.empty();
    }
    Matcher dm = DURATION.matcher(v.toLowerCase(Locale.ROOT));
    if (v.isEmpty() || !dm.matches() || v.chars().allMatch(Character::isDigit)) {
      r.problem(n, key, "'" + key + "' must be a duration like 30s, 1m30s or 500ms, got '" + v + "'");
      return Optional.empty();
    }
    try {
      Duration d = Duration.ZERO;
      d = dm.group(1) == null ? d : d.plusHours(Long.parseLong(dm.group(1)));
      d = dm.group(2) == null ? d : d.plusMinutes(Long.parseLong(dm.group(2)));
      d = dm.group(3) == null ? d : d.plusSeconds(Long.parseLong(dm.group(3)));
      d = dm.group(4) == null ? d : d.plusMillis(Long.parseLong(dm.group(4)));
      return Optional.of(d);
    } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
      r.problem(n, key, "'" + key + "' is out of range: " + v);
      return Optional.empty();
    }
  }
}
