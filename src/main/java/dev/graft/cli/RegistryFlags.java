package dev.graft.cli;

import dev.graft.transfer.TransferOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** Registry options shared by every command that reads or writes images (a picocli mixin). */
public final class RegistryFlags {
  @Option(names = "--insecure-registry", paramLabel = "HOST[:PORT]",
      description = "Talk to this registry over plain HTTP or unverified TLS (repeatable).")
  List<String> insecureRegistries = new ArrayList<>();

  @Option(names = "--creds", paramLabel = "USER:PASS",
      description = "Registry credentials (default: docker config.json and credential helpers).")
  String creds;

  @Option(names = "--registry-cert", paramLabel = "FILE",
      description = "Also trust this PEM CA certificate for registry TLS.")
  Path registryCert;

  @Option(names = {"-j", "--jobs"}, paramLabel = "N", defaultValue = "4",
      description = "Blobs copied at once (default: ${DEFAULT-VALUE}).")
  int jobs;

  TransferOptions toOptions() {
    String user = null;
    String pass = null;
    if (creds != null) {
      int colon = creds.indexOf(':');
      if (colon <= 0) {
        throw new UserError("--creds must be USER:PASS");
      }
      user = creds.substring(0, colon);
      pass = creds.substring(colon + 1);
    }
    if (registryCert != null && !Files.isRegularFile(registryCert)) {
      throw new UserError("--registry-cert " + registryCert + ": no such file");
    }
    if (jobs < 1) {
      throw new UserError("--jobs must be at least 1");
    }
    return new TransferOptions(Set.copyOf(insecureRegistries), user, pass, registryCert, jobs);
  }
}
