package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.oci.Platform;
import dev.graft.testing.AlpineImages;
import dev.graft.testing.AlpineImages.Fixture;
import dev.graft.testing.RegistryExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** --creds, --registry-cert and --insecure-registry reach the registry client. */
class RegistryFlagsTest {
  @RegisterExtension
  static final RegistryExtension registry = RegistryExtension.htpasswdTls();

  @Test
  void pushesWithCredentialsAndTheRegistrysCaCertificate(@TempDir Path tmp) {
    Fixture alpine = AlpineImages.singlePlatformLayout(tmp.resolve("a"), "3.16", Platform.LINUX_AMD64);
    String ref = registry.get().hostPort() + "/flags/alpine:3.16";
    String creds = registry.get().username() + ":" + registry.get().password();
    CliRun run = CliRun.of("copy", "-q", "--creds", creds, "--registry-cert", registry.get().caCertificate().toString(),
        alpine.ref(), ref);
    assertThat(run.exitCode()).as(run.err()).isZero();
    CliRun inspect = CliRun.of("inspect", "--creds", creds, "--insecure-registry", registry.get().hostPort(), ref);
    assertThat(inspect.exitCode()).as(inspect.err()).isZero();
    assertThat(inspect.out()).contains(alpine.root().digest().toString());
  }

  @Test
  void refusesAnUnverifiedCertificateNamingTheFlagThatHelps(@TempDir Path tmp) {
    Fixture alpine = AlpineImages.singlePlatformLayout(tmp.resolve("a"), "3.16", Platform.LINUX_AMD64);
    CliRun run = CliRun.of("copy", alpine.ref(), registry.get().hostPort() + "/flags/nope:1");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.error()).contains("--insecure-registry " + registry.get().hostPort());
  }

  @Test
  void refusesMalformedCredentialsWithoutEchoingThem() {
    CliRun run = CliRun.of("inspect", "--creds", "secretwithoutcolon", "oci:x");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.error()).contains("--creds").contains("USER:PASSWORD").doesNotContain("secretwithoutcolon");
  }

  @Test
  void refusesAMissingCertificateFile(@TempDir Path tmp) {
    CliRun run = CliRun.of("inspect", "--registry-cert", tmp.resolve("none.pem").toString(), "oci:x");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.error()).contains("--registry-cert " + tmp.resolve("none.pem") + ": no such file");
  }
}
