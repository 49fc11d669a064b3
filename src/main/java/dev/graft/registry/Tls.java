package dev.graft.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/** SSL contexts: verified (system CAs plus an optional extra PEM) or, for insecure registries, unverified. */
final class Tls {
  private Tls() {}

  /** Trusts the JDK's CAs and, when given, the certificates in {@code extraCaPem}. */
  static SSLContext verified(Path extraCaPem) throws IOException {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {trusting(extraCaPem)}, null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  /**
   * The JDK's trust manager, or with {@code extraCaPem} one trust manager over the JDK's CAs and
   * the file's certificates: a chain is trusted when it leads to either (the host name is checked
   * as always).
   */
  static X509ExtendedTrustManager trusting(Path extraCaPem) throws IOException, GeneralSecurityException {
    X509ExtendedTrustManager jdk = trustManager(null);
    if (extraCaPem == null) {
      return jdk;
    }
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    int i = 0;
    for (Certificate c : jdk.getAcceptedIssuers()) {
      store.setCertificateEntry("jdk-" + i++, c);
    }
    for (Certificate c : readPem(extraCaPem)) {
      store.setCertificateEntry("ca-" + i++, c);
    }
    return trustManager(store);
  }

  /**
   * Accepts any certificate for any host name: only for registries the user named insecure. An
   * X509ExtendedTrustManager is used because JSSE then skips its own host-name check too.
   */
  static SSLContext unverified() throws IOException {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {new TrustAll()}, null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  private static Collection<? extends Certificate> readPem(Path pem) throws IOException {
    try (InputStream in = Files.newInputStream(pem)) {
      Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certs.isEmpty()) {
        throw new IOException("CA certificate file " + pem + " holds no PEM certificate");
      }
      return certs;
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IOException("CA certificate file " + pem + " does not exist");
    } catch (CertificateException e) {
      throw new IOException("CA certificate file " + pem + " is not a PEM certificate: " + e.getMessage());
    }
  }

  private static X509ExtendedTrustManager trustManager(KeyStore store) throws GeneralSecurityException {
    TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    f.init(store);
    for (TrustManager tm : f.getTrustManagers()) {
      if (tm instanceof X509ExtendedTrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("no X.509 trust manager available");
  }

  private static final class TrustAll extends X509ExtendedTrustManager {
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
