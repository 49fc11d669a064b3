package dev.graft.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;

/**
 * The distribution API transport for one repository: picks https or (where allowed) http, answers
 * Basic and Bearer challenges, caches tokens per scope, follows redirects itself so that
 * credentials never go to another host (blob downloads redirect to object storage), retries
 * idempotent requests, and turns failures into one-line RegistryExceptions. Thread-safe.
 */
final class RegistryHttp {
  private static final int MAX_REDIRECTS = 5;
  private static final int MAX_ERROR_BODY = 64 * 1024;
  static final String USER_AGENT = "graft";

  private final RegistryHost host;
  private final String repository;
  private final RegistryOptions options;
  private final Transport verifiedClient;
  private final Transport registryClient;
  private final TokenService tokenService;
  private final Map<String, String> tokens = new ConcurrentHashMap<>();
  private final RepositoryErrors errors;

  private volatile boolean pinged;
  private volatile String scheme;
  private volatile Challenge challenge;
  private volatile Optional<CredentialResolver.Found> credentials;

  RegistryHttp(RegistryHost host, String repository, RegistryOptions options) {
    this.host = host;
    this.repository = repository;
    this.options = options;
    this.errors = new RepositoryErrors(host, repository);
    this.verifiedClient = Transport.verified(options.caCertificate());
    this.registryClient = host.insecure() ? Transport.unverified() : verifiedClient;
    this.tokenService = new TokenService(host, errors, registryClient, verifiedClient);
  }

  /** The error for {@code call} failing on the network after its tries (names registry, repo, operation). */
  RegistryException networkFailure(Call call, IOException cause) {
    return errors.network(call, cause);
  }

  RetryPolicy retry() {
    return options.retry();
  }

  RegistryHost host() {
    return host;
  }

  String repository() {
    return repository;
  }

  /** Sends {@code call}; returns the response when its status is one the call handles, else throws. */
  Response send(Call call) throws IOException {
    return send(call, options.retry().start());
  }

  /**
   * Sends {@code call} and reads its response with {@code reader}, repeating both (within the
   * retry policy) when the response breaks off: a truncated manifest is fetched again.
   */
  <T> T fetch(Call call, BodyReader<T> reader) throws IOException {
    RetryPolicy.Attempts attempts = options.retry().start();
    while (true) {
      Response r = send(call, attempts);
      try {
        return reader.read(r);
      } catch (IOException e) {
        r.discard();
        if (!isTransient(e) || !call.idempotent() || !attempts.retry(Optional.empty(), describe(call), reason(e))) {
          throw isTransient(e) ? errors.network(call, e) : e;
        }
      }
    }
  }

  /** Reads one response; may throw IOException when it breaks off. */
  @FunctionalInterface
  interface BodyReader<T> {
    T read(Response r) throws IOException;
  }

  /**
   * A failure of the connection rather than of the content or of a decision: worth a retry.
   * Digest mismatches, refused formats and registry answers are final.
   */
  static boolean isTransient(IOException e) {
    return !(e instanceof RegistryException) && !(e instanceof dev.graft.oci.DigestMismatchException)
        && (!(e instanceof java.io.InterruptedIOException) || e instanceof java.net.SocketTimeoutException);
  }

  /**
   * A manifest refused because a blob it names is unknown, although the push has just checked or
   * uploaded every blob: the registry has not caught up yet. Object-store backed registries are
   * eventually consistent, and CNCF Distribution's filesystem driver rewrites a blob's link file
   * in place when a second client uploads the same blob, so a manifest checked at that moment
   * finds it empty (MANIFEST_BLOB_UNKNOWN, with DIGEST_INVALID). A repeat after a pause cures it;
   * a blob that is really gone still fails once the tries are used up.
   */
  static boolean blobNotYetVisible(Call call, int status, ErrorBody error) {
    return status == 400 && call.method().equals("PUT") && call.target().contains("/manifests/")
        && error.codes().contains("MANIFEST_BLOB_UNKNOWN");
  }

  /** Statuses a repeat may cure: overload, rate limits, timeouts, gateway trouble. */
  static boolean retryableStatus(int status) {
    return status == 408 || status == 429 || status >= 500 && status != 501 && status != 505;
  }

  private Response send(Call call, RetryPolicy.Attempts attempts) throws IOException {
    if (options.caCertificate() != null) {
      registryClient.prepare(); // a set-up failure (an unreadable --registry-cert file) is reported first
    }
    ensurePinged(call);
    boolean reauthenticated = false;
    while (true) {
      Response r;
      try {
        r = exchange(call);
      } catch (RegistryException e) {
        // e.g. the token service failed: repeat when it may recover
        if (e.retryable() && call.idempotent() && attempts.retry(Optional.empty(), describe(call), reason(e))) {
          continue;
        }
        throw e;
      } catch (IOException e) {
        if (isTransient(e) && call.idempotent() && attempts.retry(Optional.empty(), describe(call), reason(e))) {
          continue;
        }
        throw errors.network(call, e);
      }
      int status = r.status();
      if (call.okStatuses().contains(status)) {
        return r;
      }
      String header = r.header("WWW-Authenticate").orElse(null);
      if (status == 401 && !reauthenticated && (header != null || challenge != null)) {
        // A cached token may have expired or lack a scope, or /v2/ was open but this repository
        // is not: learn the challenge and try once more with fresh authorization.
        r.discard();
        if (header != null) {
          challenge = Challenge.parse(header);
        }
        tokens.remove(String.join(" ", call.scopes(repository)));
        reauthenticated = true;
        continue;
      }
      Optional<java.time.Duration> retryAfter =
          options.retry().parseRetryAfter(r.header("Retry-After").orElse(null));
      if (retryableStatus(status) && call.idempotent()
          && attempts.retry(retryAfter, describe(call), "HTTP " + status)) {
        r.discard();
        continue;
      }
      byte[] body;
      try (InputStream in = r.body()) {
        body = in.readNBytes(MAX_ERROR_BODY); // enough for the error document; the rest is dropped
      } catch (IOException e) {
        body = new byte[0]; // the status says enough when the error document breaks off
      }
      ErrorBody error = ErrorBody.parse(body);
      if (blobNotYetVisible(call, status, error)
          && attempts.retry(retryAfter, describe(call), "HTTP " + status + " MANIFEST_BLOB_UNKNOWN")) {
        continue;
      }
      throw errors.status(call, status, error, credentials(), attempts.made())
          .withRetryAfter(retryAfter); // a restarted upload waits as asked too
    }
  }

  /** "PUT host/v2/acme/app/manifests/1.0" (an upload location without its query, which may hold a token). */
  String describe(Call call) {
    String t = call.target();
    int q = t.indexOf('?');
    t = q < 0 ? t : t.substring(0, q);
    return call.method() + " " + (t.startsWith("/") ? host.name() + t : t.replaceFirst("^[a-z]+://", ""));
  }

  /** A failure in a few words, for a retry line. */
  static String reason(IOException e) {
    if (e instanceof RegistryException r && r.status() > 0) {
      return "HTTP " + r.status();
    }
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m.lines().findFirst().orElse(""));
  }

  /** Reads at most {@code max} bytes; refuses longer content (a manifest must not fill memory). */
  static byte[] readLimited(InputStream in, int max) throws IOException {
    try (in) {
      byte[] bytes = in.readNBytes(max + 1);
      if (bytes.length > max) {
        throw new dev.graft.oci.OciFormatException("response is over the " + max + "-byte limit");
      }
      return bytes;
    }
  }

  private Response exchange(Call call) throws IOException {
    URI uri = resolve(call.target());
    String authorization = authorization(call);
    for (int hop = 0; ; hop++) {
      boolean sameHost = uri.getScheme().equals(scheme) && uri.getRawAuthority().equals(host.apiAuthority());
      java.util.Map<String, String> headers = new java.util.HashMap<>(call.headers());
      headers.put("User-Agent", USER_AGENT);
      if (sameHost && authorization != null) {
        headers.put("Authorization", authorization);
      }
      Response r = (sameHost ? registryClient : verifiedClient).send(
          new Request(call.method(), uri, headers, call.body(), options.retry().requestTimeout()));
      int s = r.status();
      boolean redirect = s == 301 || s == 302 || s == 303 || s == 307 || s == 308;
      if (!redirect || !(call.method().equals("GET") || call.method().equals("HEAD"))) {
        return r;
      }
      String location = r.header("Location").orElse(null);
      r.discard();
      if (location == null || hop >= MAX_REDIRECTS) {
        throw errors.protocol(call, "redirected " + (location == null ? "without a Location" : "too often"));
      }
      URI next = uri.resolve(location);
      if (!"https".equals(next.getScheme()) && !("http".equals(next.getScheme()) && host.plainHttpAllowed())) {
        throw errors.protocol(call, "redirected to a non-HTTPS address (" + next.getScheme() + ")");
      }
      // Authorization stays behind when the redirect leaves the registry (sameHost is rechecked).
      uri = next;
    }
  }

  private URI resolve(String target) {
    if (target.startsWith("http://") || target.startsWith("https://")) {
      return URI.create(target);
    }
    return URI.create(scheme + "://" + host.apiAuthority() + target);
  }

  /**
   * Learns how to talk to the registry once: GET /v2/ over https, falling back to http when the
   * registry may use it and does not speak TLS; a 401 tells which authentication it wants.
   * Retried like any idempotent request when the registry is overloaded or the connection breaks.
   */
  private void ensurePinged(Call call) throws IOException {
    if (pinged) {
      return;
    }
    synchronized (this) {
      RetryPolicy.Attempts attempts = options.retry().start();
      while (!pinged) {
        try {
          ping(call);
        } catch (RegistryException e) {
          if (!e.retryable() || !attempts.retry(Optional.empty(), "GET " + host.name() + "/v2/", reason(e))) {
            throw e;
          }
        }
      }
    }
  }

  private void ping(Call call) throws IOException {
    SchemeMemory memory = new SchemeMemory(options.stateDir(), host);
    // http first only where it is allowed anyway and answered last time, or, with nothing remembered
    // (a fresh CI runner), on this machine, where local registries (a CI job's registry service on
    // localhost:5000) speak plain HTTP and a TLS attempt would cost the JVM's TLS set-up for nothing;
    // https still follows, verified as ever
    boolean httpFirst = host.plainHttpAllowed() && memory.recalled().map("http"::equals).orElse(host.loopback());
    List<String> schemes = !host.plainHttpAllowed() ? List.of("https")
        : httpFirst ? List.of("http", "https") : List.of("https", "http");
    IOException last = null;
    for (String s : schemes) {
      boolean recalledAttempt = httpFirst && s.equals("http");
      Request ping = new Request("GET", URI.create(s + "://" + host.apiAuthority() + "/v2/"),
          java.util.Map.of("User-Agent", USER_AGENT), null, options.retry().requestTimeout());
      Response r;
      try {
        r = registryClient.send(ping);
      } catch (SSLException e) {
        if (isTrustFailure(e)) {
          throw errors.tls(call, e);
        }
        last = e;
        continue;
      } catch (ConnectException e) {
        last = e;
        if (host.insecure() || recalledAttempt) {
          continue; // like docker: an insecure registry may listen on port 80 only
        }
        break;
      } catch (IOException e) {
        last = e;
        continue;
      }
      String header = r.header("WWW-Authenticate").orElse(null);
      int status = r.status();
      r.discard();
      if (status == 401 && header != null) {
        challenge = Challenge.parse(header);
      } else if (status != 200 && recalledAttempt) {
        last = new IOException("HTTP " + status + " over http"); // it speaks TLS now: try https
        continue;
      } else if (status != 200) {
        throw errors.protocol(call, "does not serve the registry API at " + s + "://" + host.apiAuthority()
            + "/v2/ (HTTP " + status + ")", status);
      }
      scheme = s;
      pinged = true;
      if (host.plainHttpAllowed()) {
        memory.remember(s);
      }
      return;
    }
    throw errors.network(call, last);
  }

  static boolean isTrustFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CertificateException) {
        return true;
      }
    }
    return false;
  }

  private Optional<CredentialResolver.Found> credentials() throws IOException {
    Optional<CredentialResolver.Found> c = credentials;
    if (c == null) {
      c = CredentialResolver.resolve(host.name(), options);
      credentials = c;
    }
    return c;
  }

  private String authorization(Call call) throws IOException {
    Challenge c = challenge;
    if (c == null) {
      return null;
    }
    if (c.isBasic()) {
      return credentials().map(f -> basic(f.credentials())).orElse(null);
    }
    if (c.isBearer()) {
      String key = String.join(" ", call.scopes(repository));
      String token = tokens.get(key);
      if (token == null) {
        token = tokenService.fetch(call, c, call.scopes(repository), credentials());
        tokens.put(key, token);
      }
      return "Bearer " + token;
    }
    return null;
  }

  static String basic(Credentials c) {
    String pair = c.username() + ":" + c.password();
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }
}
