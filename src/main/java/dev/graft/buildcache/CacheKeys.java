package dev.graft.buildcache;

import java.util.regex.Pattern;

/** Cache keys are sha256 hex strings: the only names a build cache may give, and safe as file names. */
final class CacheKeys {
  private static final Pattern KEY = Pattern.compile("[0-9a-f]{64}");

  private CacheKeys() {}

  static String check(String key, String what) {
    if (key == null || !KEY.matcher(key).matches()) {
      throw new IllegalArgumentException(what + " is not a sha256 hex key");
    }
    return key;
  }
}
