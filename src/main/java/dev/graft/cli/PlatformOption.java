package dev.graft.cli;

import dev.graft.config.Platforms;
import dev.graft.oci.Platform;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The {@code --platform} option of every command (a picocli mixin), read by {@link Platforms} so
 * that every command takes the same names: {@code linux/arm/v7}, {@code armv7}, {@code aarch64}.
 * {@code build} and {@code plan} take several (they replace graft.yaml's {@code platforms} and are
 * validated there, with the flag named in errors); the commands that read one image take one.
 */
public final class PlatformOption {
  @Option(names = "--platform", paramLabel = "PLATFORM", split = ",",
      description = "OS/ARCH[/VARIANT] (linux/arm64, linux/arm/v7) or a Home Assistant arch (amd64, aarch64,"
          + " armv7, armhf, i386). For build and plan: repeatable or comma-separated, replaces 'platforms';"
          + " otherwise the one platform of a multi-platform image to use.")
  List<String> texts = new ArrayList<>();

  /** As written, for the build configuration's overrides. */
  List<String> texts() {
    return List.copyOf(texts);
  }

  /** The one platform asked for, if any; more than one, or an unknown name, is a user error. */
  Optional<Platform> one() {
    if (texts.isEmpty()) {
      return Optional.empty();
    }
    if (texts.size() > 1) {
      throw new UserError("--platform takes one platform here, got " + String.join(", ", texts)
          + "; use --all for every platform where the command offers it");
    }
    try {
      return Optional.of(Platforms.parseAny(texts.get(0)));
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }

  boolean given() {
    return !texts.isEmpty();
  }
}
