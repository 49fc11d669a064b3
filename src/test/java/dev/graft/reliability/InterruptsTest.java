package dev.graft.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.oci.Descriptor;
import dev.graft.oci.Platform;
import dev.graft.testing.AlpineImages;
import dev.graft.testing.Fault;
import dev.graft.testing.FaultProxy;
import dev.graft.testing.GraftProcess;
import dev.graft.testing.RegistryExtension;
import dev.graft.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGINT and SIGTERM remove what a run staged; what a killed run (SIGKILL) left is swept by the
 * next run, never what a live one is writing; nothing is ever staged inside a layout's blobs/.
 * graft runs in its own process, held mid-download by a registry whose layer stalls (FaultProxy).
 */
class InterruptsTest {
  @RegisterExtension
  static final RegistryExtension registry = RegistryExtension.plain();

  @TempDir static Path images;
  private static AlpineImages.Fixture alpine;
  private static Descriptor layer;

  @TempDir Path tmp;
  private FaultProxy proxy;

  @BeforeAll
  static void push() throws Exception {
    alpine = AlpineImages.singlePlatformLayout(images.resolve("a"), "3.16", Platform.LINUX_AMD64);
    layer = alpine.manifest(Platform.LINUX_AMD64).layers().get(0);
    Faults.copy(alpine.ref(), registry.get().hostPort() + "/intr/alpine:3.16", Faults.fastRetries());
  }

  @BeforeEach
  void stallTheLayer() throws Exception {
    proxy = FaultProxy.start(registry.get().hostPort());
    proxy.on("GET", "/v2/intr/alpine/blobs/" + layer.digest(), Fault.stallBody(500_000, Duration.ofMinutes(2))).always();
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
  }

  private String stalled() {
    return proxy.hostPort() + "/intr/alpine:3.16";
  }

  /** Names in {@code dir} (not recursive), sorted; empty when it does not exist. */
  private static List<String> names(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** Waits until a staged temp file under {@code parent}'s {@code prefix}* directories has the first 500 kB. */
  private static void awaitStaged(GraftProcess p, Path parent, String prefix) throws Exception {
    awaitStaged(p, parent, prefix, List.of());
  }

  /** As above, not counting what is staged in the directories named in {@code others}. */
  private static void awaitStaged(GraftProcess p, Path parent, String prefix, List<String> others) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
    while (Instant.now().isBefore(deadline)) {
      assertThat(p.isAlive()).as("graft is still downloading").isTrue();
      try (Stream<Path> s = Files.walk(parent)) {
        boolean staged = s.filter(Files::isRegularFile)
            .filter(f -> parent.relativize(f).toString().startsWith(prefix) && f.toString().endsWith(".part"))
            .filter(f -> !others.contains(parent.relativize(f).getName(0).toString()))
            .anyMatch(f -> f.toFile().length() >= 400_000);
        if (staged) {
          return;
        }
      } catch (java.io.UncheckedIOException e) {
        // a file went away while listing: look again
      }
      Thread.sleep(100);
    }
    throw new AssertionError("nothing was staged under " + parent + "/" + prefix + "*");
  }

  @Test
  void sigtermRemovesWhatACopyIntoAnExistingLayoutStagedAndNothingWasStagedInBlobs() throws Exception {
    Path layout = tmp.resolve("layout");
    String other = AlpineImages.singlePlatformLayout(tmp.resolve("a318"), "3.18", Platform.LINUX_AMD64).ref();
    assertThat(Cli.run("copy", other, "oci:" + layout + ":old").exitCode()).isZero();
    Tools.runOk(Duration.ofMinutes(1), "rm", "-rf", tmp.resolve("a318").toString());
    GraftProcess p = GraftProcess.start(Map.of(), "copy", stalled(), "oci:" + layout + ":new");

    awaitStaged(p, tmp, ".layout.graft-staging-");
    assertThat(names(layout.resolve("blobs/sha256"))).as("nothing staged inside blobs/").noneMatch(n -> n.startsWith("."));
    p.signal("TERM");
    p.await();

    assertThat(names(tmp)).as("the layout holds its own lock (on oci-layout): nothing beside it").containsExactly("layout");
    assertThat(names(layout.resolve("blobs/sha256"))).allMatch(n -> n.matches("[0-9a-f]{64}"));
    Tools.runOk(Duration.ofMinutes(1), "umoci", "gc", "--layout", layout.toString());
  }

  /** SIGKILL runs no clean-up: still nothing in blobs/ (umoci gc succeeds), and the next run sweeps the staging. */
  @Test
  void sigkillDuringACopyIntoALayoutLeavesBlobsCleanAndTheNextRunSweepsItsStaging() throws Exception {
    Path layout = tmp.resolve("layout");
    String other = AlpineImages.singlePlatformLayout(tmp.resolve("a318"), "3.18", Platform.LINUX_AMD64).ref();
    assertThat(Cli.run("copy", other, "oci:" + layout + ":old").exitCode()).isZero();
    GraftProcess p = GraftProcess.start(Map.of(), "copy", stalled(), "oci:" + layout + ":new");

    awaitStaged(p, tmp, ".layout.graft-staging-");
    p.signal("KILL");
    p.await();

    assertThat(names(tmp)).as("SIGKILL leaves its staging beside the layout").anyMatch(n -> n.startsWith(".layout.graft-staging-"));
    assertThat(names(layout.resolve("blobs/sha256"))).allMatch(n -> n.matches("[0-9a-f]{64}"));
    Tools.runOk(Duration.ofMinutes(1), "umoci", "gc", "--layout", layout.toString());
    Cli next = Cli.run("copy", alpine.ref(), "oci:" + layout + ":next");
    assertThat(next.exitCode()).as(next.err()).isZero();
    assertThat(names(tmp)).containsExactlyInAnyOrder("layout", "a318");
    Tools.runOk(Duration.ofMinutes(1), "umoci", "gc", "--layout", layout.toString());
    assertThat(Tools.runOk(Duration.ofMinutes(1), "umoci", "ls", "--layout", layout.toString()).stdout())
        .contains("old", "next").doesNotContain("new");
  }

  @Test
  void sigintRemovesWhatACopyToAnArchiveStaged() throws Exception {
    GraftProcess p = GraftProcess.start(Map.of(), "copy", stalled(), "oci-archive:" + tmp.resolve("out.tar"));

    awaitStaged(p, tmp, ".out.tar.graft-staging-");
    p.signal("INT");
    p.await();

    assertThat(names(tmp)).isEmpty();
  }

  @Test
  void sigtermRemovesWhatABuildStagedInItsTempAndCacheDirectories() throws Exception {
    Path jtmp = Files.createDirectories(tmp.resolve("jtmp"));
    Path cache = tmp.resolve("cache");
    Files.createDirectories(tmp.resolve("app/site"));
    Files.writeString(tmp.resolve("app/site/a.txt"), "a\n");
    Files.writeString(tmp.resolve("app/graft.yaml"), """
        base: %s
        platforms: [linux/amd64]
        layers:
          - { name: site, from: ./site, to: /srv }
        """.formatted(stalled()));
    GraftProcess p = GraftProcess.start(List.of("-Djava.io.tmpdir=" + jtmp), Map.of(), "build", "-f",
        tmp.resolve("app/graft.yaml").toString(), "--to", "oci-archive:" + tmp.resolve("out.tar"), "--cache-dir",
        cache.toString(), "-q");

    Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
    while (names(jtmp).stream().noneMatch(n -> n.startsWith("graft-build-")) && Instant.now().isBefore(deadline)) {
      Thread.sleep(100);
    }
    assertThat(names(jtmp)).anyMatch(n -> n.startsWith("graft-build-"));
    Thread.sleep(1000); // into the stalled base download
    p.signal("TERM");
    p.await();

    assertThat(names(jtmp)).as("java.io.tmpdir").isEmpty();
    assertThat(names(cache.resolve("tmp"))).as("<cache>/tmp").isEmpty();
    assertThat(names(tmp)).doesNotContain("out.tar");
  }

  @Test
  void whatAKilledRunLeftIsSweptByTheNextButNotWhatALiveRunStages() throws Exception {
    Path out = tmp.resolve("out.tar");
    GraftProcess killed = GraftProcess.start(Map.of(), "copy", stalled(), "oci-archive:" + out);
    awaitStaged(killed, tmp, ".out.tar.graft-staging-");
    killed.signal("KILL");
    killed.await();
    List<String> killedStaging = names(tmp);
    assertThat(killedStaging).as("SIGKILL leaves its staging").anyMatch(n -> n.startsWith(".out.tar.graft-staging-"));
    // litter of graft versions before lock files: swept when an hour old, kept when fresh
    Path old = Files.createDirectories(tmp.resolve(".out.tar.graft-1234567"));
    Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
    Path fresh = Files.createDirectories(tmp.resolve(".out.tar.graft-7654321"));
    GraftProcess live = GraftProcess.start(Map.of(), "copy", stalled(), "oci-archive:" + out);
    awaitStaged(live, tmp, ".out.tar.graft-staging-", killedStaging);
    List<String> liveStaging = names(tmp).stream()
        .filter(n -> n.startsWith(".out.tar.graft-staging-") && !killedStaging.contains(n)).toList();

    Cli next = Cli.run("copy", alpine.ref(), "oci-archive:" + out);

    assertThat(next.exitCode()).as(next.err()).isZero();
    assertThat(names(tmp)).containsAll(liveStaging).contains("out.tar", fresh.getFileName().toString())
        .doesNotContain(old.getFileName().toString());
    assertThat(liveStaging).as("only the live run's staging is left").hasSize(2); // its directory and lock file
    live.signal("TERM");
    live.await();
    assertThat(names(tmp)).containsExactlyInAnyOrder("out.tar", fresh.getFileName().toString());
  }
}
