package dev.graft.npm;

import dev.graft.oci.Futures;
import dev.graft.registry.ExactLengthInputStream;
import dev.graft.registry.RetryPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Brings the tarballs of packages into the {@link TarballCache}: those already there are not
 * fetched; the rest are downloaded in parallel (at most {@code parallel} at once), each verified
 * against its integrity before it is stored. Network failures, timeouts, 5xx, 408 and 429 are
 * retried with graft's registry {@link RetryPolicy} (backoff, Retry-After, a time budget); other
 * statuses fail at once with the package, URL and status named. Credentials go only to the hosts
 * their {@code .npmrc} key names: a redirect to another host is followed without them.
 */
public final class TarballFetcher {
  private static final int MAX_REDIRECTS = 5;

  private final TarballCache cache;
  private final Npmrc npmrc;
  private final RetryPolicy retry;
  private final int parallel;
  private final FetchListener listener;

  public TarballFetcher(TarballCache cache, Npmrc npmrc, RetryPolicy retry, int parallel, FetchListener listener) {
    if (parallel < 1) {
      throw new IllegalArgumentException("parallel must be at least 1");
    }
    this.cache = cache;
    this.npmrc = npmrc;
    this.retry = retry;
    this.parallel = parallel;
    this.listener = listener;
  }

  /** Each package's verified tarball in the cache, by install path. Bundled packages have none. */
  public Map<String, Path> fetchAll(List<LockedPackage> packages) throws IOException {
    Map<String, Path> out = new LinkedHashMap<>();
    List<LockedPackage> missing = new ArrayList<>();
    for (LockedPackage p : packages) {
      if (p.inBundle()) {
        continue; // inside its parent's tarball
      }
      Integrity integrity = requireFetchable(p);
      out.put(p.path(), cache.path(integrity));
      if (cache.has(integrity)) {
        listener.fetched(p, 0, true);
      } else if (missing.stream().noneMatch(m -> m.integrity().equals(p.integrity()))) {
        missing.add(p);
      }
    }
    if (missing.isEmpty()) {
      return out;
    }
    ExecutorService pool = Futures.daemonPool("graft-npm-fetch", Math.min(parallel, missing.size()));
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (LockedPackage p : missing) {
        futures.add(pool.submit(() -> {
          download(p);
          return null;
        }));
      }
      for (Future<?> f : futures) {
        Futures.await(f, "download of npm tarballs");
      }
    } finally {
      pool.shutdownNow();
    }
    return out;
  }

  /** The integrity of a package graft can fetch; an error naming it for git, file and link packages. */
  static Integrity requireFetchable(LockedPackage p) {
    if (p.raw().path("link").asBoolean(false)) {
      throw new NpmException(p.path() + " is a link to " + p.resolved().orElse("a local folder")
          + " (a workspace or file: dependency); graft lays out registry packages only: take these node_modules "
          + "from a builder image layer, or publish the package");
    }
    String resolved = p.resolved().orElse("");
    if (resolved.startsWith("file:") || resolved.startsWith("git") || resolved.startsWith("github:")
        || resolved.startsWith("link:")) {
      throw new NpmException(p.id() + " at " + p.path() + " comes from " + resolved + "; graft fetches registry "
          + "tarballs only (git, file: and link: dependencies are not supported): take these node_modules from a "
          + "builder image layer, or publish the package to a registry");
    }
    return p.integrity().orElseThrow(() -> new NpmException(p.id() + " at " + p.path() + " has no integrity in the "
        + "lockfile, so its tarball cannot be verified; run 'npm install --package-lock-only' to record it"));
  }

  private void download(LockedPackage p) throws IOException {
    URI uri = npmrc.tarballUri(p);
    Integrity integrity = p.integrity().orElseThrow();
    String what = p.id() + " (" + redact(uri) + ")";
    RetryPolicy.Attempts attempts = retry.start();
    while (true) {
      Optional<Duration> retryAfter = Optional.empty();
      IOException failure;
      try {
        HttpURLConnection c = open(uri, what);
        int status = c.getResponseCode();
        if (status == 200) {
          long length = c.getContentLengthLong();
          try (InputStream in = new ExactLengthInputStream(c.getInputStream(), length)) {
            long n = cache.store(integrity, in, what);
            listener.fetched(p, n, false);
            return;
          }
        }
        retryAfter = Optional.ofNullable(c.getHeaderField("Retry-After")).flatMap(retry::parseRetryAfter);
        c.disconnect();
        failure = new IOException(what + ": the registry answered HTTP " + status);
        if (!(status >= 500 || status == 408 || status == 429)) {
          throw new NpmException(what + ": the registry answered HTTP " + status + (status == 401 || status == 403
              ? " (set a token for this registry in .npmrc: //host/:_authToken=…)" : status == 404
              ? " (the lockfile names a version the registry does not have)" : ""));
        }
      } catch (TarballCache.IntegrityMismatchException e) {
        throw e;
      } catch (IOException e) {
        failure = e;
      }
      if (!attempts.retry(retryAfter, what, failure.getMessage())) {
        throw new IOException(what + ": download failed after " + attempts.made() + " tries: " + failure.getMessage(),
            failure);
      }
    }
  }

  /** A GET of {@code uri}, redirects followed by hand so credentials reach only their own host. */
  private HttpURLConnection open(URI uri, String what) throws IOException {
    URI at = uri;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      HttpURLConnection c = (HttpURLConnection) at.toURL().openConnection();
      c.setInstanceFollowRedirects(false);
      int timeout = (int) Math.min(Integer.MAX_VALUE, retry.requestTimeout().toMillis());
      c.setConnectTimeout(timeout);
      c.setReadTimeout(timeout);
      c.setRequestProperty("Accept", "application/octet-stream, */*");
      c.setRequestProperty("User-Agent", "graft (npm-compatible)");
      npmrc.authorization(at).ifPresent(a -> c.setRequestProperty("Authorization", a));
      int status = c.getResponseCode();
      if (status / 100 != 3 || c.getHeaderField("Location") == null) {
        return c;
      }
      at = at.resolve(c.getHeaderField("Location"));
      c.disconnect();
    }
    throw new NpmException(what + ": more than " + MAX_REDIRECTS + " redirects");
  }

  /** A URL without user info or query (where signed URLs and tokens would sit). */
  static String redact(URI uri) {
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort()) + uri.getRawPath();
  }
}
