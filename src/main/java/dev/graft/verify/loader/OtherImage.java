package dev.graft.verify.loader;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Another image verification may look in when the checked one lacks a library, or has one too
 * old: a build's builder image, or {@code graft verify --look-in}. Its files are opened only when
 * a finding needs them (a build whose builder is never read stays that way when all is well), and
 * then once.
 */
public final class OtherImage {
  private final String name;
  private final Supplier<Optional<ImageContext>> open;
  private Optional<ImageContext> context;

  /**
   * @param name how a message names it, e.g. {@code builder docker://node:20-bookworm}
   * @param open makes its context (same platform as the checked image), or empty when it has no
   *     image for that platform; called at most once
   */
  public OtherImage(String name, Supplier<Optional<ImageContext>> open) {
    this.name = Objects.requireNonNull(name, "name");
    this.open = Objects.requireNonNull(open, "open");
  }

  public String name() {
    return name;
  }

  /** Its files, platform and environment, opened on first use. Not thread-safe, as {@link ElfCache}. */
  public synchronized Optional<ImageContext> context() {
    if (context == null) {
      context = Objects.requireNonNull(open.get(), "context");
    }
    return context;
  }

  @Override
  public String toString() {
    return name;
  }
}
