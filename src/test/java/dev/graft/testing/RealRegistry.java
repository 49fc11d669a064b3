package dev.graft.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real registry process (Debian's docker-registry, i.e. distribution 2.8) on 127.0.0.1 and a
 * free port, with its config, storage and log in a temp dir. Variants: basic auth from an
 * htpasswd file (bcrypt) and TLS with a self-signed certificate for 127.0.0.1/localhost.
 * Each instance is independent, so test classes may run concurrently.
 */
public final class RealRegistry implements AutoCloseable {
  private static final Path BINARY = Path.of("/usr/bin/docker-registry");
  public static final String USERNAME = "graft-test";

  private final Path dir;
  private final int port;
  private final boolean tls;
  private final String password;
  private final Process process;
  private final TokenServer tokenServer;

  private RealRegistry(Path dir, int port, boolean tls, String password, Process process, TokenServer tokenServer) {
    this.dir = dir;
    this.port = port;
    this.tls = tls;
    this.password = password;
    this.process = process;
    this.tokenServer = tokenServer;
  }

  /**
   * Starts a registry that wants bearer tokens from a {@link TokenServer} (the scheme of Docker
   * Hub and GHCR); the token server accepts {@link #username()}/{@link #password()}.
   */
  public static RealRegistry startWithTokenAuth() throws IOException {
    return start(false, false, true);
  }

  /** Starts a registry; {@code htpasswd} adds basic auth, {@code tls} a self-signed certificate. */
  public static RealRegistry start(boolean htpasswd, boolean tls) throws IOException {
    return start(htpasswd, tls, false);
  }

  private static RealRegistry start(boolean htpasswd, boolean tls, boolean token) throws IOException {
    if (!Files.isExecutable(BINARY)) {
      throw new AssertionError(BINARY + " is missing; run scripts/test (it installs docker-registry)");
    }
    Path dir = Files.createTempDirectory("graft-registry");
    String password = htpasswd || token ? "pw-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(8)) : null;
    if (htpasswd) {
      Tools.require("htpasswd");
      String line = Tools.runOk(Duration.ofSeconds(30), "htpasswd", "-Bbn", USERNAME, password).stdout();
      Files.writeString(dir.resolve("htpasswd"), line.strip() + "\n");
    }
    if (tls) {
      Tools.require("openssl");
      Tools.runOk(Duration.ofSeconds(30), "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
          "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=localhost",
          "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
          "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString());
    }
    TokenServer tokens = token ? TokenServer.start(dir, USERNAME, password) : null;
    // A port picked free may be taken before the registry binds it: try a few.
    for (int attempt = 1; ; attempt++) {
      int port = freePort();
      Path config = dir.resolve("config.yml");
      Files.writeString(config, config(dir, port, htpasswd, tls, tokens));
      Path log = dir.resolve("registry.log");
      ProcessBuilder pb = new ProcessBuilder(BINARY.toString(), "serve", config.toString())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      pb.environment().keySet().removeIf(k -> k.startsWith("REGISTRY_"));
      Process p = pb.start();
      RealRegistry r = new RealRegistry(dir, port, tls, password, p, tokens);
      if (r.awaitListening()) {
        return r;
      }
      r.stopProcess();
      if (attempt >= 3) {
        if (tokens != null) {
          tokens.close();
        }
        throw new AssertionError("docker-registry did not start; its log:\n" + Files.readString(log));
      }
    }
  }

  private static String config(Path dir, int port, boolean htpasswd, boolean tls, TokenServer tokens) {
    StringBuilder y = new StringBuilder();
    y.append("version: 0.1\n");
    y.append("log:\n  level: info\n");
    y.append("storage:\n  filesystem:\n    rootdirectory: ").append(dir.resolve("storage")).append('\n');
    y.append("  delete:\n    enabled: true\n");
    y.append("http:\n  addr: 127.0.0.1:").append(port).append('\n');
    y.append("  secret: graft-test-secret\n");
    if (tls) {
      y.append("  tls:\n    certificate: ").append(dir.resolve("cert.pem")).append('\n');
      y.append("    key: ").append(dir.resolve("key.pem")).append('\n');
    }
    if (htpasswd) {
      y.append("auth:\n  htpasswd:\n    realm: graft-test\n    path: ").append(dir.resolve("htpasswd")).append('\n');
    }
    if (tokens != null) {
      y.append("auth:\n  token:\n    realm: ").append(tokens.realm()).append('\n');
      y.append("    service: ").append(TokenServer.SERVICE).append('\n');
      y.append("    issuer: ").append(TokenServer.ISSUER).append('\n');
      y.append("    rootcertbundle: ").append(tokens.certificate()).append('\n');
    }
    return y.toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Polls the port until the registry accepts connections; false if the process died first. */
  private boolean awaitListening() throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        return false;
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return true;
      } catch (IOException notYet) {
        sleep(20);
      }
    }
    return false;
  }

  /** {@code 127.0.0.1:PORT}, as written in image references. */
  public String hostPort() {
    return "127.0.0.1:" + port;
  }

  public boolean tls() {
    return tls;
  }

  /** The token service of a registry started with {@link #startWithTokenAuth()}. */
  public TokenServer tokenServer() {
    if (tokenServer == null) {
      throw new IllegalStateException("this registry has no token auth");
    }
    return tokenServer;
  }

  /** Whether the registry asks for credentials (basic auth or bearer tokens). */
  public boolean authenticated() {
    return password != null;
  }

  public String username() {
    return USERNAME;
  }

  public String password() {
    if (password == null) {
      throw new IllegalStateException("this registry has no auth");
    }
    return password;
  }

  /** The self-signed certificate (its own CA) of a TLS registry. */
  public Path caCertificate() {
    if (!tls) {
      throw new IllegalStateException("this registry has no TLS");
    }
    return dir.resolve("cert.pem");
  }

  /** The registry's storage root (docker/registry/v2/…), for tests that corrupt or inspect it. */
  public Path storage() {
    return dir.resolve("storage");
  }

  /** Where the registry keeps a blob's bytes. */
  public Path blobFile(String digest) {
    String hex = digest.substring(digest.indexOf(':') + 1);
    return storage().resolve("docker/registry/v2/blobs/sha256").resolve(hex.substring(0, 2)).resolve(hex)
        .resolve("data");
  }

  /** The registry's log so far (one JSON-ish line per request: method, URI, status). */
  public String log() throws IOException {
    return Files.readString(dir.resolve("registry.log"), StandardCharsets.UTF_8);
  }

  /** Log lines that mention {@code needle}. */
  public List<String> logLines(String needle) throws IOException {
    return log().lines().filter(l -> l.contains(needle)).toList();
  }

  /** skopeo arguments for talking to this registry: TLS off for the self-signed cert, creds when needed. */
  public List<String> skopeoArgs() {
    return authenticated()
        ? List.of("--tls-verify=false", "--creds", USERNAME + ":" + password)
        : List.of("--tls-verify=false");
  }

  @Override
  public void close() throws IOException {
    stopProcess();
    if (tokenServer != null) {
      tokenServer.close();
    }
    deleteTree(dir);
  }

  private void stopProcess() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
