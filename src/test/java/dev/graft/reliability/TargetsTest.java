package dev.graft.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.oci.Platform;
import dev.graft.testing.AlpineImages;
import dev.graft.testing.HostileImages;
import dev.graft.testing.Tools;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local targets are written only to a new path or over a regular file (a layout: into a new path or
 * a directory): a device, FIFO, socket or symlink at the target is refused by copy and build alike,
 * and left exactly as it was, with nothing staged left beside it.
 */
class TargetsTest {
  @TempDir Path tmp;

  /** Each kind of thing a target path may already be, made for real (mknod needs root, as the suite runs). */
  private Map<String, Path> specials() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("targets"));
    Map<String, Path> out = new LinkedHashMap<>();
    Tools.runOk(Duration.ofSeconds(30), "mknod", dir.resolve("full").toString(), "c", "1", "7");
    out.put("a character device", dir.resolve("full"));
    Tools.runOk(Duration.ofSeconds(30), "mkfifo", dir.resolve("fifo").toString());
    out.put("a FIFO", dir.resolve("fifo"));
    Tools.runOk(Duration.ofSeconds(30), "python3", "-c",
        "import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])", dir.resolve("sock").toString());
    out.put("a socket", dir.resolve("sock"));
    Path victim = Files.writeString(tmp.resolve("victim.txt"), "someone else's file\n");
    Files.createSymbolicLink(dir.resolve("link"), victim);
    out.put("a symlink", dir.resolve("link"));
    return out;
  }

  private static String describe(Path p) throws Exception {
    return Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) + " " + Files.getAttribute(p, "unix:rdev",
        LinkOption.NOFOLLOW_LINKS) + (Files.isSymbolicLink(p) ? " -> " + Files.readSymbolicLink(p) : "");
  }

  private void assertRefusedAndUntouched(String kind, Path target, Cli r, String before) throws Exception {
    assertThat(r.exitCode()).as(kind + ": " + r.err()).isEqualTo(1);
    assertThat(r.error()).as(kind).contains("refusing to write", target + " is " + kind,
        "only to a new path or over a regular file");
    assertThat(describe(target)).as(kind).isEqualTo(before);
    try (var siblings = Files.list(target.getParent())) {
      assertThat(siblings.map(p -> p.getFileName().toString())).as("nothing staged beside " + kind)
          .allMatch(n -> !n.startsWith("."));
    }
  }

  @Test
  void copyRefusesEveryTargetThatIsNotARegularFile() throws Exception {
    String alpine = AlpineImages.singlePlatformLayout(tmp.resolve("a"), "3.16", Platform.LINUX_AMD64).ref();
    for (Map.Entry<String, Path> e : specials().entrySet()) {
      String before = describe(e.getValue());
      assertRefusedAndUntouched(e.getKey(), e.getValue(), Cli.run("copy", alpine, "oci-archive:" + e.getValue()), before);
      assertRefusedAndUntouched(e.getKey(), e.getValue(), Cli.run("copy", alpine, "docker-archive:" + e.getValue()),
          before);
    }
    assertThat(tmp.resolve("victim.txt")).hasContent("someone else's file");
  }

  @Test
  void buildRefusesEveryTargetThatIsNotARegularFile() throws Exception {
    for (Map.Entry<String, Path> e : specials().entrySet()) {
      String before = describe(e.getValue());
      Path work = tmp.resolve("work-" + e.getValue().getFileName());
      Cli r = HostileRuns.buildOn(HostileImages.ref("special-files"), work, "--to", "oci-archive:" + e.getValue());
      assertRefusedAndUntouched(e.getKey(), e.getValue(), r, before);
    }
    assertThat(tmp.resolve("victim.txt")).hasContent("someone else's file");
  }

  /** Every other file graft writes (here: {@code graft sbom -o FILE}) follows the same rule. */
  @Test
  void sbomRefusesEveryOutputThatIsNotARegularFile() throws Exception {
    String alpine = AlpineImages.singlePlatformLayout(tmp.resolve("a"), "3.16", Platform.LINUX_AMD64).ref();
    for (Map.Entry<String, Path> e : specials().entrySet()) {
      String before = describe(e.getValue());
      Cli r = Cli.run("sbom", alpine, "-o", e.getValue().toString());

      assertThat(r.exitCode()).as(e.getKey() + ": " + r.err()).isEqualTo(1);
      assertThat(r.error()).as(e.getKey()).contains("refusing to write " + e.getValue() + ": it is " + e.getKey(),
          "only to a new path or over a regular file", "name another path");
      assertThat(describe(e.getValue())).as(e.getKey()).isEqualTo(before);
    }
    assertThat(tmp.resolve("victim.txt")).hasContent("someone else's file");
    try (var siblings = Files.list(tmp.resolve("targets"))) {
      assertThat(siblings.map(p -> p.getFileName().toString())).as("nothing staged").allMatch(n -> !n.startsWith("."));
    }
    Path old = Files.writeString(tmp.resolve("old.json"), "old");
    Cli ok = Cli.run("sbom", alpine, "-o", old.toString());
    assertThat(ok.exitCode()).as(ok.err()).isZero();
    assertThat(old).content().contains("\"bomFormat\"");
    try (var siblings = Files.list(tmp)) {
      assertThat(siblings.map(p -> p.getFileName().toString())).as("nothing staged").allMatch(n -> !n.startsWith("."));
    }
  }

  @Test
  void aLayoutIsWrittenOnlyIntoANewPathOrARealDirectory() throws Exception {
    String alpine = AlpineImages.singlePlatformLayout(tmp.resolve("a"), "3.16", Platform.LINUX_AMD64).ref();
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
    Path link = Files.createSymbolicLink(tmp.resolve("layout-link"), elsewhere);

    Cli r = Cli.run("copy", alpine, "oci:" + link + ":t");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.error()).contains(link + " is a symlink (to " + elsewhere + ")", "only into a new path or a directory");
    assertThat(HostileRuns.listing(elsewhere)).containsExactly("");
    Cli ok = Cli.run("copy", alpine, "oci-archive:" + Files.writeString(tmp.resolve("old.tar"), "old"));
    assertThat(ok.exitCode()).as(ok.err()).isZero();
  }
}
