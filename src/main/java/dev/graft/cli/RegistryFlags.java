package dev.graft.cli;

import dev.graft.registry.Credentials;
import dev.graft.registry.RegistryOptions;
import dev.graft.transfer.TransferOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Registry options shared by every command that reads or writes images (a picocli mixin). */
public final class RegistryFlags {
  /** The command this mixin is part of: its stderr shows retries as they happen (unless -q). */
  @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
  CommandLine.Model.CommandSpec mixee;

  @Option(names = "--insecure-registry", paramLabel = "HOST[:PORT]",
      description = "Talk to this registry over plain HTTP or unverified TLS (repeatable).")
  List<String> insecureRegistries = new ArrayList<>();

  @Option(names = "--creds", paramLabel = "USER:PASS",
      description = {"Registry credentials (default: GRAFT_USERNAME/GRAFT_PASSWORD, GITHUB_TOKEN for ghcr.io, then",
          "$DOCKER_CONFIG/config.json or $HOME/.docker/config.json and its credential helpers)."})
  String creds;

  @Option(names = "--registry-cert", paramLabel = "FILE",
      description = "Also trust this PEM CA certificate for registry TLS.")
  Path registryCert;

  @Option(names = "--retries", paramLabel = "N", defaultValue = "5",
      description = "Tries per registry request or blob transfer, the first included (default: ${DEFAULT-VALUE}; "
          + "network errors, timeouts, 5xx, 408 and 429 are retried with backoff, within 3 minutes).")
  int retries = 5;

  /** The options, retries shown as lines on the command's stderr (none with -q). */
  TransferOptions toOptions() {
    return toOptions(retryLines());
  }

  /** The options, retries reported to {@code shown} (a command's own progress display). */
  TransferOptions toOptions(dev.graft.registry.RetryListener shown) {
    RegistryOptions options;
    try {
      options = RegistryOptions.defaults().withEnvironment(System.getenv())
          .withInsecureRegistries(Set.copyOf(insecureRegistries));
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    if (creds != null) {
      try {
        options = options.withCredentials(Credentials.parse(creds));
      } catch (IllegalArgumentException e) {
        throw new UserError("--creds: " + e.getMessage());
      }
    }
    if (registryCert != null) {
      if (!Files.isRegularFile(registryCert)) {
        throw new UserError("--registry-cert " + registryCert + ": no such file (give a PEM CA certificate)");
      }
      options = options.withCaCertificate(registryCert);
    }
    if (retries < 1) {
      throw new UserError("--retries must be at least 1 (1 = no retries)");
    }
    options = options.withRetry(options.retry().withMaxAttempts(retries).withListener(shown));
    return new TransferOptions(options, TransferOptions.DEFAULT_CONCURRENCY);
  }

  /** Retry lines on the command's stderr; none with -q (commands with progress replace this). */
  private dev.graft.registry.RetryListener retryLines() {
    if (mixee == null) {
      return dev.graft.registry.RetryListener.NONE;
    }
    CommandLine.Model.OptionSpec quiet = mixee.findOption("-q");
    if (quiet != null && Boolean.TRUE.equals(quiet.getValue())) {
      return dev.graft.registry.RetryListener.NONE;
    }
    java.io.PrintWriter err = mixee.commandLine().getErr();
    return (what, why, wait, attempt, max) -> {
      synchronized (err) {
        err.println(dev.graft.registry.RetryListener.describe(what, why, wait, attempt, max));
        err.flush();
      }
    };
  }
}
