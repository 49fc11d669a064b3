package dev.graft.oci;

/**
 * The null checks of a record with many components, in one line that still names each one:
 * {@code Require.nonNull("name, digest, platform", name, digest, platform)} fails as
 * {@code Objects.requireNonNull(digest, "digest")} would, with the component's name as the message.
 * Records with a few components keep {@code Objects.requireNonNull}.
 */
public final class Require {
  private Require() {}

  /**
   * Throws a {@link NullPointerException} whose message is the name of the first null value.
   *
   * @param names the values' names, separated by {@code ", "}, in the order of {@code values}
   * @throws IllegalArgumentException when {@code names} does not name every value (a slip in the caller)
   */
  public static void nonNull(String names, Object... values) {
    if (count(names) != values.length) {
      throw new IllegalArgumentException("names '" + names + "' for " + values.length + " values");
    }
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) {
        throw new NullPointerException(names.split(", ")[i]);
      }
    }
  }

  /** How many names {@code names} holds, without splitting it (records are made on hot paths). */
  private static int count(String names) {
    int n = 1;
    for (int at = names.indexOf(", "); at >= 0; at = names.indexOf(", ", at + 2)) {
      n++;
    }
    return n;
  }
}
