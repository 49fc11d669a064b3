package dev.graft.reliability;

import static dev.graft.reliability.Faults.copy;
import static dev.graft.reliability.Faults.fastRetries;
import static dev.graft.reliability.Faults.tagDigest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.oci.Platform;
import dev.graft.registry.RegistryException;
import dev.graft.testing.AlpineImages;
import dev.graft.testing.AlpineImages.Fixture;
import dev.graft.testing.Fault;
import dev.graft.testing.FaultProxy;
import dev.graft.testing.RegistryExtension;
import dev.graft.transfer.CopyResult;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushing through a FaultProxy in front of a real registry: each transient fault is ridden out;
 * each permanent one fails with a clear error and leaves the tag on the image it named before.
 */
class PushUnderFaultsTest {
  @RegisterExtension
  static final RegistryExtension registry = RegistryExtension.plain();

  private static final String UPLOAD_PUT = "/v2/.*/blobs/uploads/.*digest=.*";
  private static final String TAG_PUT = "/v2/.*/manifests/(?!sha256:).*";

  @TempDir
  static Path tmp;

  private FaultProxy proxy;
  private static Fixture alpine315;
  private static Fixture alpine316;

  @org.junit.jupiter.api.BeforeAll
  static void images() {
    alpine315 = AlpineImages.singlePlatformLayout(tmp.resolve("a315"), "3.15", Platform.LINUX_AMD64);
    alpine316 = AlpineImages.singlePlatformLayout(tmp.resolve("a316"), "3.16", Platform.LINUX_AMD64);
  }

  @BeforeEach
  void startProxy() throws Exception {
    proxy = FaultProxy.start(registry.get().hostPort());
  }

  @AfterEach
  void stopProxy() throws Exception {
    proxy.close();
  }

  private String via(String repoAndTag) {
    return proxy.hostPort() + "/" + repoAndTag;
  }

  /**
   * A token that expires in the middle of a push: the registry answers a blob's streamed PUT with
   * 401 and a challenge. The challenge is read (HttpURLConnection reports such a 401 without its
   * body) and the upload is sent again with fresh authorization.
   */
  @Test
  void answersAChallengeThatArrivesOnAStreamedBlobUpload() throws Exception {
    proxy.on("PUT", UPLOAD_PUT, Fault.unauthorized("Basic realm=\"graft-test\""));

    CopyResult r = copy(alpine316.ref(), via("t401/app:1"), fastRetries());

    assertThat(tagDigest(registry.get(), "t401/app:1")).isEqualTo(r.rootDigest());
    assertThat(proxy.requests("PUT", UPLOAD_PUT)).extracting(FaultProxy.Request::status)
        .containsExactlyInAnyOrder(401, 201, 201);
  }

  /**
   * A registry that has not caught up with a blob it just stored (eventual consistency, or
   * Distribution rewriting a blob link while a second client uploads the same blob) refuses the
   * manifest with MANIFEST_BLOB_UNKNOWN: the manifest is sent again after a pause. Another 400 is
   * final (neverRetriesAClientError).
   */
  @Test
  void sendsAManifestAgainWhenTheRegistryHasNotCaughtUpWithItsBlobs() throws Exception {
    proxy.on("PUT", "/v2/.*/manifests/sha256:.*", Fault.error(400, "MANIFEST_BLOB_UNKNOWN"));

    CopyResult r = copy(alpine316.ref(), via("tlag/app:1"), fastRetries());

    assertThat(tagDigest(registry.get(), "tlag/app:1")).isEqualTo(r.rootDigest());
    assertThat(proxy.requests("PUT", "/v2/.*/manifests/sha256:.*")).extracting(FaultProxy.Request::status)
        .containsSubsequence(400, 201);
  }

  @Test
  void ridesOutServerErrorsOnBlobUploads() throws Exception {
    proxy.on("PUT", UPLOAD_PUT, Fault.status(500));
    proxy.on("PUT", UPLOAD_PUT, Fault.status(502));
    proxy.on("PUT", UPLOAD_PUT, Fault.status(503));

    CopyResult r = copy(alpine316.ref(), via("t5xx/app:1"), fastRetries());

    assertThat(tagDigest(registry.get(), "t5xx/app:1")).isEqualTo(r.rootDigest());
    assertThat(proxy.requests("PUT", UPLOAD_PUT)).extracting(FaultProxy.Request::status)
        .contains(500, 502, 503).filteredOn(s -> s == 201).hasSize(2);
  }

  @Test
  void honoursRetryAfterInSecondsAndAsAnHttpDate() throws Exception {
    Faults.RecordingPacer pacer = new Faults.RecordingPacer();
    proxy.on("POST", "/v2/.*/blobs/uploads/", Fault.tooManyRequests("7"));
    proxy.on("POST", "/v2/.*/blobs/uploads/", Fault.tooManyRequests("Thu, 01 Jan 2026 00:00:10 GMT"));

    // one blob at a time, so that both answers go to the same upload in order
    copy(alpine316.ref(), via("t429/app:1"), fastRetries().withMaxRetryAfter(Duration.ofSeconds(30)).withPacer(pacer), 1);

    // the pacer's clock starts at 00:00:00 and has moved 7 s by the second answer: 3 s remain
    assertThat(pacer.sleeps).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(3));
    assertThat(proxy.requests("POST", "/v2/.*/blobs/uploads/")).extracting(FaultProxy.Request::status)
        .containsSubsequence(429, 429, 202);
  }

  @Test
  void capsARetryAfterThatAsksForTooLong() throws Exception {
    Faults.RecordingPacer pacer = new Faults.RecordingPacer();
    proxy.on("PUT", "/v2/.*/manifests/sha256:.*", Fault.tooManyRequests("86400"));

    copy(alpine316.ref(), via("t429cap/app:1"), fastRetries().withMaxRetryAfter(Duration.ofSeconds(20)).withPacer(pacer));

    assertThat(pacer.sleeps).containsExactly(Duration.ofSeconds(20));
  }

  @Test
  void ridesOutAConnectionResetBeforeTheManifestResponse() throws Exception {
    proxy.on("PUT", TAG_PUT, Fault.reset());

    CopyResult r = copy(alpine316.ref(), via("treset/app:1"), fastRetries());

    assertThat(tagDigest(registry.get(), "treset/app:1")).isEqualTo(r.rootDigest());
    assertThat(proxy.requests("PUT", TAG_PUT)).extracting(FaultProxy.Request::status).containsExactly(0, 201);
  }

  @Test
  void restartsAnUploadResetHalfWay() throws Exception {
    String layer = alpine316.manifest(Platform.LINUX_AMD64).layers().get(0).digest().toString();
    proxy.on("PUT", ".*digest=" + layer.replace(":", "%3A"), Fault.resetMidRequest(1_000_000));

    CopyResult r = copy(alpine316.ref(), via("tmid/app:1"), fastRetries());

    assertThat(tagDigest(registry.get(), "tmid/app:1")).isEqualTo(r.rootDigest());
    assertThat(proxy.requests("PUT", ".*digest=" + layer.replace(":", "%3A")))
        .extracting(FaultProxy.Request::status).containsExactly(0, 201);
    // a fresh upload session for the second try: the broken one is not reused
    assertThat(proxy.requests("POST", "/v2/tmid/app/blobs/uploads/")).hasSize(3);
  }

  @Test
  void givesUpOnAStalledRequestAfterItsTimeoutAndTriesAgain() throws Exception {
    proxy.on("HEAD", "/v2/.*/blobs/.*", Fault.stallThenReset(Duration.ofSeconds(5)));

    CopyResult r = copy(alpine316.ref(), via("tstall/app:1"), fastRetries().withRequestTimeout(Duration.ofMillis(500)));

    assertThat(tagDigest(registry.get(), "tstall/app:1")).isEqualTo(r.rootDigest());
  }

  @Test
  void waitsOutAStallShorterThanTheTimeout() throws Exception {
    proxy.on("PUT", UPLOAD_PUT, Fault.stall(Duration.ofMillis(300)));

    CopyResult r = copy(alpine316.ref(), via("tslow/app:1"), fastRetries());

    assertThat(tagDigest(registry.get(), "tslow/app:1")).isEqualTo(r.rootDigest());
    assertThat(proxy.requests("PUT", UPLOAD_PUT)).extracting(FaultProxy.Request::status).containsOnly(201);
  }

  @Test
  void permanentUploadFailureNamesTheRegistryRepositoryOperationAndStatusAndKeepsTheTag() throws Exception {
    CopyResult before = copy(alpine315.ref(), via("tperm/app:stable"), fastRetries());
    proxy.clearLog();
    proxy.on("PUT", UPLOAD_PUT, Fault.status(503)).always();

    assertThatThrownBy(() -> copy(alpine316.ref(), via("tperm/app:stable"), fastRetries()))
        .isInstanceOfSatisfying(RegistryException.class, e -> {
          assertThat(e.registry()).isEqualTo(proxy.hostPort());
          assertThat(e.repository()).isEqualTo("tperm/app");
          assertThat(e.operation()).startsWith("push of blob sha256:");
          assertThat(e.status()).isEqualTo(503);
          assertThat(e.getMessage()).contains("registry " + proxy.hostPort(), "repo 'tperm/app'", "blob sha256:",
              "HTTP 503");
        });

    assertThat(tagDigest(registry.get(), "tperm/app:stable")).isEqualTo(before.rootDigest());
    assertThat(proxy.requests("PUT", TAG_PUT)).isEmpty();
  }

  @Test
  void permanentResetOnTheTagKeepsThePreviousImage() throws Exception {
    CopyResult before = copy(alpine315.ref(), via("tpermtag/app:stable"), fastRetries());
    proxy.on("PUT", TAG_PUT, Fault.reset()).always();

    assertThatThrownBy(() -> copy(alpine316.ref(), via("tpermtag/app:stable"), fastRetries()))
        .isInstanceOfSatisfying(RegistryException.class, e -> {
          assertThat(e.status()).isZero();
          assertThat(e.operation()).isEqualTo("push of manifest 'stable'");
          assertThat(e.getMessage()).contains("cannot reach registry " + proxy.hostPort(), "repo 'tpermtag/app'");
        });

    assertThat(tagDigest(registry.get(), "tpermtag/app:stable")).isEqualTo(before.rootDigest());
  }

  @Test
  void neverRetriesAClientError() throws Exception {
    proxy.on("PUT", UPLOAD_PUT, Fault.status(400)).always();

    assertThatThrownBy(() -> copy(alpine316.ref(), via("t400/app:1"), fastRetries().withMaxAttempts(5)))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.status()).isEqualTo(400));

    // one try per blob (two blobs were being uploaded at once), never a second
    assertThat(proxy.requests("PUT", UPLOAD_PUT)).hasSizeLessThanOrEqualTo(2);
    assertThat(proxy.requests("POST", "/v2/t400/app/blobs/uploads/")).hasSizeLessThanOrEqualTo(2);
  }

  @Test
  void reRunAfterAFailedTagUploadsNoBlobAgain() throws Exception {
    proxy.on("PUT", TAG_PUT, Fault.status(500)).always();
    assertThatThrownBy(() -> copy(alpine316.ref(), via("trerun/app:1"), fastRetries()))
        .isInstanceOf(RegistryException.class);
    assertThat(proxy.requests("PUT", UPLOAD_PUT)).extracting(FaultProxy.Request::status).containsOnly(201)
        .hasSize(2);
    proxy.heal();
    proxy.clearLog();

    CopyResult r = copy(alpine316.ref(), via("trerun/app:1"), fastRetries());

    assertThat(r.blobsSkipped()).isEqualTo(2);
    assertThat(proxy.requests("PUT", UPLOAD_PUT)).isEmpty();
    assertThat(proxy.requests("POST", "/v2/.*")).isEmpty();
    assertThat(tagDigest(registry.get(), "trerun/app:1")).isEqualTo(r.rootDigest());
  }

  @Test
  void reRunAfterAFailedBlobUploadsEachBlobOnceInAll() throws Exception {
    String layer = alpine316.manifest(Platform.LINUX_AMD64).layers().get(0).digest().toString();
    proxy.on("PUT", ".*digest=" + layer.replace(":", "%3A"), Fault.status(502)).always();
    assertThatThrownBy(() -> copy(alpine316.ref(), via("trerun2/app:1"), fastRetries()))
        .isInstanceOf(RegistryException.class);
    long firstRun = proxy.requests("PUT", UPLOAD_PUT).stream().filter(q -> q.status() == 201).count();
    proxy.heal();

    copy(alpine316.ref(), via("trerun2/app:1"), fastRetries());

    // whatever the first run finished (the config, when it got there first) is not uploaded again
    assertThat(proxy.requests("PUT", UPLOAD_PUT).stream().filter(q -> q.status() == 201).count())
        .isEqualTo(2).isGreaterThan(firstRun);
  }

  @Test
  void writesBlobsThenManifestsThenTheIndexAndTheTagLast() throws Exception {
    Fixture index = AlpineImages.layout(tmp.resolve("multi"), "3.16");

    CopyResult r = copy(index.ref(), via("torder/app:1"), fastRetries());

    var log = proxy.requests().stream().filter(q -> q.method().equals("PUT")).toList();
    int lastBlob = -1;
    int firstManifest = Integer.MAX_VALUE;
    for (int i = 0; i < log.size(); i++) {
      if (log.get(i).target().contains("/blobs/uploads/")) {
        lastBlob = i;
      } else if (log.get(i).target().contains("/manifests/") && firstManifest == Integer.MAX_VALUE) {
        firstManifest = i;
      }
    }
    assertThat(lastBlob).isLessThan(firstManifest);
    var manifests = log.subList(firstManifest, log.size());
    assertThat(manifests).extracting(FaultProxy.Request::target).hasSize(5).allMatch(t -> t.contains("/manifests/"));
    assertThat(manifests.get(3).target()).endsWith("/manifests/" + r.rootDigest());
    assertThat(manifests.get(4).target()).endsWith("/manifests/1");
    assertThat(tagDigest(registry.get(), "torder/app:1")).isEqualTo(r.rootDigest());
  }

  @Test
  void theRetriesFlagBoundsTheTries() {
    proxy.on("PUT", "/v2/tflag/app/manifests/sha256:.*", Fault.status(503)).always();

    Cli r = Cli.run("copy", "--retries", "2", alpine316.ref(), via("tflag/app:1"));

    assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
    assertThat(r.error()).contains("registry " + proxy.hostPort(), "repo 'tflag/app'", "HTTP 503", "after 2 tries");
    assertThat(proxy.requests("PUT", "/v2/tflag/app/manifests/sha256:.*")).hasSize(2);
    assertThat(Cli.run("copy", "--retries", "0", alpine316.ref(), via("tflag/app:1")).error())
        .contains("--retries must be at least 1");
  }

  @Test
  void aRestartedUploadWaitsAsTheRegistryAsked() throws Exception {
    Faults.RecordingPacer pacer = new Faults.RecordingPacer();
    proxy.on("PUT", UPLOAD_PUT, Fault.tooManyRequests("4"));

    CopyResult r = copy(alpine316.ref(), via("t429put/app:1"),
        fastRetries().withMaxRetryAfter(Duration.ofSeconds(30)).withPacer(pacer));

    assertThat(pacer.sleeps).containsExactly(Duration.ofSeconds(4));
    assertThat(tagDigest(registry.get(), "t429put/app:1")).isEqualTo(r.rootDigest());
  }
}
