package dev.graft.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigstore.fulcio.v2.CAGrpc;
import dev.sigstore.fulcio.v2.CertificateChain;
import dev.sigstore.fulcio.v2.CreateSigningCertificateRequest;
import dev.sigstore.fulcio.v2.SigningCertificate;
import dev.sigstore.fulcio.v2.SigningCertificateEmbeddedSCT;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for Fulcio's gRPC service ({@code dev.sigstore.fulcio.v2.CA}, the stubs sigstore-java
 * ships) over TLS on 127.0.0.1: it takes the identity token the test's GitHub token service handed
 * out (any other is refused), checks the proof of possession (the token's subject signed with the
 * submitted key), and answers with a certificate for the submitted key issued by the openssl CA of
 * {@link StandInSigstore} (issue-leaf.sh: identity {@code https://github.com/} + the token's
 * {@code job_workflow_ref}, issuer the token's {@code iss}, an embedded SCT), with the chain.
 */
public final class StandInFulcio implements AutoCloseable {
  private final Server server;
  private final List<String> issued = Collections.synchronizedList(new ArrayList<>());

  private StandInFulcio(StandInSigstore ca, Path tlsCert, Path tlsKey, String expectedToken) throws IOException {
    CAGrpc.CAImplBase service = new CAGrpc.CAImplBase() {
      @Override
      public void createSigningCertificate(CreateSigningCertificateRequest request,
          StreamObserver<SigningCertificate> answer) {
        try {
          answer.onNext(issue(ca, request, expectedToken));
          answer.onCompleted();
        } catch (IllegalArgumentException e) {
          answer.onError(Status.PERMISSION_DENIED.withDescription(e.getMessage()).asRuntimeException());
        } catch (Exception e) {
          answer.onError(Status.INTERNAL.withDescription(e.toString()).asRuntimeException());
        }
      }
    };
    this.server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .sslContext(GrpcSslContexts.forServer(tlsCert.toFile(), tlsKey.toFile()).build())
        .addService(service).build().start();
  }

  private SigningCertificate issue(StandInSigstore ca, CreateSigningCertificateRequest request, String expectedToken)
      throws Exception {
    String token = request.getCredentials().getOidcIdentityToken();
    if (!token.equals(expectedToken)) {
      throw new IllegalArgumentException("identity token not issued by the test's token service");
    }
    JsonNode claims = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    String pem = request.getPublicKeyRequest().getPublicKey().getContent();
    PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getMimeDecoder()
        .decode(pem.replaceAll("-----[A-Z ]+-----", ""))));
    Signature pop = Signature.getInstance("SHA256withECDSA");
    pop.initVerify(key);
    pop.update(claims.path("sub").asText().getBytes(StandardCharsets.UTF_8));
    if (!pop.verify(request.getPublicKeyRequest().getProofOfPossession().toByteArray())) {
      throw new IllegalArgumentException("proof of possession does not verify with the submitted key");
    }
    Path work = Files.createTempDirectory(ca.dir(), "fulcio");
    Path pub = Files.writeString(work.resolve("key.pub"), pem + "\n");
    Path leaf = work.resolve("leaf.pem");
    Tools.runOk(Duration.ofMinutes(1), TestData.projectRoot().resolve("testdata/keyless/issue-leaf.sh").toString(),
        ca.dir().toString(), pub.toString(), "https://github.com/" + claims.path("job_workflow_ref").asText(),
        claims.path("iss").asText(), leaf.toString());
    String leafPem = Files.readString(leaf);
    issued.add(leafPem);
    return SigningCertificate.newBuilder().setSignedCertificateEmbeddedSct(SigningCertificateEmbeddedSCT.newBuilder()
        .setChain(CertificateChain.newBuilder().addCertificates(leafPem)
            .addCertificates(Files.readString(ca.dir().resolve("inter.pem")))
            .addCertificates(Files.readString(ca.dir().resolve("root.pem"))))).build();
  }

  /**
   * Starts the service with a TLS certificate for 127.0.0.1 made by openssl under {@code ca}'s
   * directory; {@link #trustStore} holds it for the client JVM (keytool, PKCS#12).
   */
  public static StandInFulcio start(StandInSigstore ca, String expectedToken) throws IOException {
    Path dir = ca.dir();
    Path key = dir.resolve("fulcio-tls.key");
    Path cert = dir.resolve("fulcio-tls.pem");
    Tools.runOk(Duration.ofMinutes(1), "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
        "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "2",
        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1");
    Path store = dir.resolve("fulcio-trust.p12");
    Files.deleteIfExists(store);
    Tools.runOk(Duration.ofMinutes(1), Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-importcert", "-noprompt", "-alias", "stand-in-fulcio", "-file", cert.toString(), "-keystore",
        store.toString(), "-storetype", "PKCS12", "-storepass", "changeit");
    return new StandInFulcio(ca, cert, key, expectedToken);
  }

  /** JVM options for a client that trusts this service's TLS certificate (and nothing else). */
  public static String trustStoreOptions(StandInSigstore ca) {
    return "-Djavax.net.ssl.trustStore=" + ca.dir().resolve("fulcio-trust.p12") + " -Djavax.net.ssl.trustStoreType=PKCS12"
        + " -Djavax.net.ssl.trustStorePassword=changeit";
  }

  public String url() {
    return "https://127.0.0.1:" + server.getPort();
  }

  /** The certificates issued so far (PEM). */
  public List<String> issued() {
    synchronized (issued) {
      return List.copyOf(issued);
    }
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
  }
}
