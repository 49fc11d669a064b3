package dev.graft.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.oci.ImageRef;
import dev.graft.testing.RealRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Remembering which scheme a registry allowed plain HTTP answered on, and not trusting it blindly. */
class SchemeMemoryTest {
  @TempDir Path state;

  private static ImageRef.Registry ref(RealRegistry r, String repoAndTag) {
    return (ImageRef.Registry) ImageRef.parse(r.hostPort() + "/" + repoAndTag);
  }

  private Path memoryFile(RealRegistry r) {
    return state.resolve("scheme-" + r.hostPort().replaceAll("[^A-Za-z0-9._-]", "_"));
  }

  @Test
  void remembersThatAPlainHttpRegistryAnsweredOverHttpAndUsesItNextTime() throws Exception {
    try (RealRegistry r = RealRegistry.start(false, false)) {
      RegistryOptions opts = RegistryOptions.defaults().withInsecureRegistries(Set.of(r.hostPort())).withStateDir(state);
      TestImage image = TestImage.random(1, 1024, 7);
      image.pushTo(new RegistrySink(ref(r, "mem/app:1"), opts), null);
      assertThat(Files.readString(memoryFile(r)).strip()).isEqualTo("http");
      try (RegistrySource source = new RegistrySource(ref(r, "mem/app:1"), opts)) {
        assertThat(source.root()).isEqualTo(image.manifest());
      }
      assertThat(Files.readString(memoryFile(r)).strip()).isEqualTo("http");
    }
  }

  @Test
  void aRegistryThatNowSpeaksTlsIsStillReachedAndTheMemoryCorrected() throws Exception {
    try (RealRegistry r = RealRegistry.start(false, true)) {
      Files.writeString(memoryFile(r), "http\n"); // learned when it still spoke plain HTTP
      RegistryOptions opts = RegistryOptions.defaults().withInsecureRegistries(Set.of(r.hostPort())).withStateDir(state);
      TestImage image = TestImage.random(1, 1024, 8);
      image.pushTo(new RegistrySink(ref(r, "mem/app:1"), opts), null);
      try (RegistrySource source = new RegistrySource(ref(r, "mem/app:1"), opts)) {
        assertThat(source.root()).isEqualTo(image.manifest());
      }
      assertThat(Files.readString(memoryFile(r)).strip()).isEqualTo("https");
    }
  }

  @Test
  void aLoopbackRegistryIsAskedOverHttpFirstWhenNothingIsRememberedAndStillReachedOverTls() throws Exception {
    try (RealRegistry r = RealRegistry.start(false, true)) {
      RegistryOptions opts = RegistryOptions.defaults().withCaCertificate(r.caCertificate()).withStateDir(state);
      TestImage image = TestImage.random(1, 1024, 9);
      image.pushTo(new RegistrySink(ref(r, "mem/app:1"), opts), null);
      assertThat(Files.readString(memoryFile(r)).strip()).isEqualTo("https");
    }
    try (RealRegistry r = RealRegistry.start(false, false)) {
      RegistryOptions opts = RegistryOptions.defaults().withStateDir(state);
      TestImage image = TestImage.random(1, 1024, 10);
      image.pushTo(new RegistrySink(ref(r, "mem/app:1"), opts), null);
      assertThat(Files.readString(memoryFile(r)).strip()).isEqualTo("http");
    }
  }

  @Test
  void aRememberedHttpNeverBypassesCertificateVerification() throws Exception {
    try (RealRegistry r = RealRegistry.start(false, true)) {
      // a TLS registry not named insecure is still verified despite a remembered "http"
      Files.writeString(memoryFile(r), "http\n");
      RegistryOptions opts = RegistryOptions.defaults().withStateDir(state);
      try (RegistrySource source = new RegistrySource(ref(r, "mem/app:1"), opts)) {
        assertThat(org.assertj.core.api.Assertions.catchThrowable(source::root))
            .hasMessageStartingWith("cannot verify the TLS certificate of registry " + r.hostPort());
      }
    }
  }
}
