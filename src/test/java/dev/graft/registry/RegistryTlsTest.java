package dev.graft.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.graft.oci.ImageRef;
import dev.graft.testing.RegistryExtension;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** TLS policy: a registry's certificate is verified unless the registry was named insecure. */
class RegistryTlsTest {
  @RegisterExtension
  static final RegistryExtension registry = RegistryExtension.tls();

  private ImageRef.Registry ref(String repoAndTag) {
    return (ImageRef.Registry) ImageRef.parse(registry.get().hostPort() + "/" + repoAndTag);
  }

  @Test
  void untrustedCertificateIsAClearErrorNotAFallbackToHttp() throws Exception {
    try (RegistrySource source = new RegistrySource(ref("tls/app:1"), RegistryOptions.defaults())) {
      Throwable t = catchThrowable(source::root);
      assertThat(t).isInstanceOf(RegistryException.class)
          .hasMessageStartingWith("cannot verify the TLS certificate of registry " + registry.get().hostPort())
          .hasMessageContaining("--registry-cert FILE")
          .hasMessageContaining("--insecure-registry " + registry.get().hostPort());
      assertThat(t.getMessage()).doesNotContain("\n");
    }
  }

  @Test
  void trustsTheRegistryWhenGivenItsCaCertificate() throws Exception {
    RegistryOptions opts = RegistryOptions.defaults().withCaCertificate(registry.get().caCertificate());
    TestImage image = TestImage.random(1, 1024, 41);
    image.pushTo(new RegistrySink(ref("tls/app:1"), opts), null);
    try (RegistrySource source = new RegistrySource(ref("tls/app:1"), opts)) {
      assertThat(source.root()).isEqualTo(image.manifest());
    }
  }

  @Test
  void anExtraCaCertificateIsTrustedBesideTheJdksOwn() throws Exception {
    List<X509Certificate> jdk = List.of(Tls.trusting(null).getAcceptedIssuers());
    List<X509Certificate> both = List.of(Tls.trusting(registry.get().caCertificate()).getAcceptedIssuers());
    X509Certificate extra;
    try (InputStream in = Files.newInputStream(registry.get().caCertificate())) {
      extra = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    assertThat(jdk).isNotEmpty().doesNotContain(extra);
    assertThat(both).containsAll(jdk).contains(extra).hasSize(jdk.size() + 1);
  }

  @Test
  void namesAnUnreadableCaFile(@TempDir Path dir) throws Exception {
    Path notPem = Files.writeString(dir.resolve("ca.pem"), "not a certificate");
    RegistryOptions opts = RegistryOptions.defaults().withCaCertificate(notPem);
    try (RegistrySource source = new RegistrySource(ref("tls/app:1"), opts)) {
      assertThat(catchThrowable(source::root)).hasMessageContaining(notPem.toString());
    }
  }
}
