package dev.graft.config;

import dev.graft.oci.MediaTypes.Compression;
import dev.graft.oci.Require;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A reusable set of layers (e.g. {@code node-runtime}), read from a YAML file in {@code layers/}
 * or the user's own. {@code yaml} is the file's text (what {@code graft recipes show} prints);
 * {@code origin} names the file for messages.
 */
public record Recipe(String name, String description, List<RecipeParam> params, List<LayerDraft> layers,
    String yaml, String origin) {

  public Recipe {
    Require.nonNull("name, description, yaml, origin", name, description, yaml, origin);
    params = List.copyOf(params);
    layers = List.copyOf(layers);
  }

  public Optional<RecipeParam> param(String paramName) {
    return params.stream().filter(p -> p.name().equals(paramName)).findFirst();
  }

  /** Parameter values with defaults filled in for the ones not given. */
  Map<String, Boolean> withDefaults(Map<String, Boolean> given) {
    Map<String, Boolean> all = params.stream().collect(Collectors.toMap(RecipeParam::name, RecipeParam::defaultValue));
    all.putAll(given);
    return all;
  }

  /** The layers for these parameter values. */
  List<LayerSpec> expand(Map<String, Boolean> given, String nameOverride, Compression compression,
      SourcePos useOrigin) {
    Map<String, Boolean> values = withDefaults(given);
    return layers.stream()
        .map(l -> l.apply(values, nameOverride, compression, name, useOrigin))
        .flatMap(Optional::stream)
        .toList();
  }

  /** Names of the parameters, for messages. */
  String paramNames() {
    return params.isEmpty() ? "none" : params.stream().map(RecipeParam::name).collect(Collectors.joining(", "));
  }
}
