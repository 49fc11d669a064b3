package dev.graft.config;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A recipe parameter. Only booleans for now: they switch optional parts of a recipe on (npm,
 * corepack), which is all the built-in recipes need.
 */
public record RecipeParam(String name, boolean defaultValue, String description) {
  static final Pattern NAME = Pattern.compile("[a-z][a-zA-Z0-9-]{0,63}");

  public RecipeParam {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("bad parameter name '" + name + "'");
    }
  }
}
