package dev.graft.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Settings from the command line or the environment that replace graft.yaml's. Each value
 * remembers where it came from ({@code --to}, {@code GRAFT_TO}) so errors point at it.
 * Precedence: flags over environment over file over defaults ({@link #over(Overrides)}).
 */
public record Overrides(
    List<Setting> to,
    List<Setting> tags,
    List<Setting> platforms,
    Setting base,
    Setting index,
    List<Setting> sets) {

  /** One value and where it came from, e.g. ("linux/arm64", "--platform linux/arm64"). */
  public record Setting(String value, String origin) {
    public Setting {
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(origin, "origin");
    }
  }

  public Overrides {
    to = List.copyOf(to);
    tags = List.copyOf(tags);
    platforms = List.copyOf(platforms);
    sets = List.copyOf(sets);
  }

  public static final Overrides NONE = new Overrides(List.of(), List.of(), List.of(), null, null, List.of());

  /**
   * From command-line flags: repeatable {@code --to}, {@code --tag}, {@code --platform} (each also
   * comma-separated), {@code --base}, {@code --index} (null when absent) and {@code --set key=value}.
   */
  public static Overrides fromFlags(List<String> to, List<String> tags, List<String> platforms, String base,
      String index, List<String> sets) {
    return new Overrides(split(to, "--to"), split(tags, "--tag"), split(platforms, "--platform"),
        base == null ? null : new Setting(base, "--base " + base),
        index == null ? null : new Setting(index, "--index " + index),
        sets.stream().map(s -> new Setting(s, "--set " + s)).toList());
  }

  /**
   * From the environment, for CI: {@code GRAFT_TO}, {@code GRAFT_TAGS}, {@code GRAFT_PLATFORMS}
   * (comma-separated) and {@code GRAFT_BASE}. The map is passed in so nothing reads the real
   * environment behind the caller's back.
   */
  public static Overrides fromEnv(Map<String, String> env) {
    return new Overrides(fromVar(env, "GRAFT_TO"), fromVar(env, "GRAFT_TAGS"), fromVar(env, "GRAFT_PLATFORMS"),
        blank(env.get("GRAFT_BASE")) ? null : new Setting(env.get("GRAFT_BASE").strip(), "GRAFT_BASE"),
        null, List.of());
  }

  /** These settings with {@code flags} taking precedence: a list given by flags replaces the list here. */
  public Overrides over(Overrides flags) {
    return new Overrides(
        flags.to.isEmpty() ? to : flags.to,
        flags.tags.isEmpty() ? tags : flags.tags,
        flags.platforms.isEmpty() ? platforms : flags.platforms,
        flags.base == null ? base : flags.base,
        flags.index == null ? index : flags.index,
        concat(sets, flags.sets));
  }

  private static List<Setting> split(List<String> values, String flag) {
    List<Setting> out = new ArrayList<>();
    for (String v : values) {
      for (String part : v.split(",")) {
        if (!part.isBlank()) {
          out.add(new Setting(part.strip(), flag + " " + v));
        }
      }
    }
    return out;
  }

  private static List<Setting> fromVar(Map<String, String> env, String name) {
    String v = env.get(name);
    if (blank(v)) {
      return List.of();
    }
    List<Setting> out = new ArrayList<>();
    for (String part : v.split(",")) {
      if (!part.isBlank()) {
        out.add(new Setting(part.strip(), name));
      }
    }
    return out;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static List<Setting> concat(List<Setting> a, List<Setting> b) {
    List<Setting> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
