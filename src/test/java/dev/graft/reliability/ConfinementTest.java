package dev.graft.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.testing.HostileImages;
import dev.graft.testing.Tools;
import dev.graft.testing.UmociTrees;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Layer application is confined, not refused: an entry whose parent resolves through a symlink
 * lands where containerd, runc and umoci put it (securejoin: resolved inside the image root), for
 * every command alike, since all read images through one {@code FileTreeBuilder}. What keeps a
 * hostile builder from planting files is the selection: it takes what it names and nothing else, a
 * symlink as a link. The image: testdata/hostile/make-hostile.py's {@code plant-through-link}.
 */
class ConfinementTest {
  private static final String IMAGE = "plant-through-link";
  @TempDir Path tmp;

  @Test
  void lsShowsEntriesWhereUmociUnpacksThem() throws Exception {
    Map<String, String> umoci = UmociTrees.unpack(HostileImages.layout(IMAGE), "t", tmp.resolve("bundle"));
    Cli ls = HostileRuns.ls(HostileImages.ref(IMAGE), "/");

    assertThat(ls.exitCode()).as(ls.err()).isZero();
    assertThat(ls.out()).contains("/etc/passwd", "/opt/run.sh", "/app/link -> ../../../../etc")
        .doesNotContain("/app/link/passwd", "/app/up/opt");
    assertThat(umoci).containsKeys("/etc/passwd", "/etc/shadow", "/opt/run.sh").doesNotContainKey("/app/up/opt");
    assertThat(Files.readString(tmp.resolve("bundle/rootfs/etc/passwd"))).contains("pwned");
    Cli passwd = Cli.run("extract", HostileImages.ref(IMAGE), "/etc/passwd", "--to", tmp.resolve("x").toString());
    assertThat(passwd.exitCode()).as(passwd.err()).isZero();
    assertThat(tmp.resolve("x/etc/passwd")).hasSameTextualContentAs(tmp.resolve("bundle/rootfs/etc/passwd"));
  }

  @Test
  void verifyJudgesTheTreeAsARuntimeWouldUnpackIt() {
    Cli r = HostileRuns.verify(HostileImages.ref(IMAGE));
    // /opt/run.sh exists only through app/up -> ..; its #!/bin/bash does not exist at all
    assertThat(r.out()).contains("SCRIPT_INTERPRETER_MISSING").contains("/opt/run.sh")
        .doesNotContain("ENTRYPOINT_MISSING");
  }

  @Test
  void extractOfAppBringsNothingFromOutsideItAndRefusesItsEscapingLinks() throws Exception {
    Path out = tmp.resolve("out");
    Cli r = HostileRuns.extract(HostileImages.ref(IMAGE), "/app", out);

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.error()).contains("/app/link -> ../../../../etc", "outside the extraction directory");
    assertThat(HostileRuns.listing(out)).isEmpty();

    Cli files = HostileRuns.extract(HostileImages.ref(IMAGE), "/app/index.js", out);
    assertThat(files.exitCode()).as(files.err()).isZero();
    assertThat(HostileRuns.listing(out)).containsExactly("", "app", "app/index.js");
  }

  @Test
  void aBuildSelectingAppFromThisBuilderShipsTheBasesEtcAndNothingPlanted() throws Exception {
    Cli r = HostileRuns.buildFrom(HostileImages.ref(IMAGE), "paths: [/app], closure: off", tmp);
    assertThat(r.exitCode()).as(r.err()).isZero();

    Map<String, String> built = UmociTrees.unpack(tmp.resolve("out"), "t", tmp.resolve("bundle"));
    Path rootfs = tmp.resolve("bundle/rootfs");
    assertThat(Files.readString(rootfs.resolve("etc/passwd"))).startsWith("root:x:0:0:root:/root:/bin/ash")
        .doesNotContain("pwned");
    assertThat(Files.readString(rootfs.resolve("etc/shadow"))).doesNotContain("root::1:0");
    assertThat(built).doesNotContainKey("/opt/run.sh");
    assertThat(built.get("/app/link")).startsWith("symlink 777 0:0 0 ../../../../etc ");
    assertThat(built.get("/app/up")).startsWith("symlink 777 0:0 0 .. ");
    assertThat(built).containsKey("/app/index.js");
  }

  @Test
  void aBuildOnThisBaseKeepsItsLayersAsTheyAreAndPlacesNewFilesTheSameWay() throws Exception {
    Files.createDirectories(tmp.resolve("site"));
    Cli r = HostileRuns.buildOn(HostileImages.ref(IMAGE), tmp, "--verify", "warn");
    assertThat(r.exitCode()).as(r.err()).isZero();

    Map<String, String> built = UmociTrees.unpack(tmp.resolve("out"), "t", tmp.resolve("bundle"));
    Map<String, String> base = UmociTrees.unpack(HostileImages.layout(IMAGE), "t", tmp.resolve("base-bundle"));
    base.forEach((path, described) -> assertThat(built.get(path)).as(path).isEqualTo(described));
    assertThat(built).containsKey("/srv/a.txt");
    Cli ls = HostileRuns.ls("oci:" + tmp.resolve("out") + ":t", "/");
    assertThat(ls.out()).contains("/opt/run.sh", "/srv/a.txt");
  }

  /** copy moves the layers as they are (runtimes confine them when they unpack), byte for byte as skopeo. */
  @Test
  void copyKeepsTheImageByteForByteAsSkopeoDoes() throws Exception {
    Cli r = HostileRuns.copy(HostileImages.ref(IMAGE), tmp.resolve("copy"));
    assertThat(r.exitCode()).as(r.err()).isZero();
    Tools.runOk(Duration.ofMinutes(1), "skopeo", "copy", "-q", HostileImages.ref(IMAGE), "oci:" + tmp.resolve("sk") + ":t");
    String ours = Tools.runOk(Duration.ofMinutes(1), "skopeo", "inspect", "--raw", "oci:" + tmp.resolve("copy") + ":t").stdout();
    String theirs = Tools.runOk(Duration.ofMinutes(1), "skopeo", "inspect", "--raw", "oci:" + tmp.resolve("sk") + ":t").stdout();
    assertThat(ours).isEqualTo(theirs);
    assertThat(Files.exists(tmp.resolve("copy/blobs"), LinkOption.NOFOLLOW_LINKS)).isTrue();
  }
}
