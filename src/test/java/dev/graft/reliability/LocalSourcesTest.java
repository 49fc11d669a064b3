package dev.graft.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.testing.HostileImages;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A graft.yaml cannot read host directories outside its own directory (say, one from a pull
 * request copying the host's /etc into a pushed image), whether by {@code ../} or through a
 * symlink inside the project, unless the person running graft allows it with --allow-outside.
 */
class LocalSourcesTest {
  @TempDir Path tmp;

  private Path project(String from) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("a/b/project"));
    Files.writeString(dir.resolve("graft.yaml"), """
        base: %s
        platforms: [linux/amd64]
        layers:
          - { name: host, from: "%s", paths: [hostname], to: /srv }
        to: oci-archive:out.tar
        """.formatted(HostileImages.ref("special-files"), from));
    return dir;
  }

  private static int depth(Path p) {
    return p.toAbsolutePath().getNameCount();
  }

  @Test
  void aDirectoryUpTheTreeIsRefusedByPlanAndBuild() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("a/b/project"));
    String up = "../".repeat(depth(dir)) + "etc";
    Path project = project(up);

    Cli plan = Cli.run("plan", "-f", project.resolve("graft.yaml").toString());
    Cli build = Cli.run("build", "-f", project.resolve("graft.yaml").toString(), "--cache-dir",
        tmp.resolve("cache").toString());

    for (Cli r : new Cli[] {plan, build}) {
      assertThat(r.exitCode()).isNotZero();
      assertThat(r.err()).contains("graft.yaml:4:5", "layer 'host' takes files from /etc", "outside " + project.toRealPath(),
          "--allow-outside /etc");
    }
    assertThat(project.resolve("out.tar")).doesNotExist();
  }

  @Test
  void aSymlinkInsideTheProjectThatLeadsOutIsRefused() throws Exception {
    Path project = project("./conf");
    Files.createSymbolicLink(project.resolve("conf"), Path.of("/etc"));

    Cli plan = Cli.run("plan", "-f", project.resolve("graft.yaml").toString());

    assertThat(plan.exitCode()).isNotZero();
    assertThat(plan.err()).contains("takes files from /etc (" + project.resolve("conf") + ")", "--allow-outside /etc");
  }

  @Test
  void allowedExplicitlyItBuilds() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("shared"));
    Files.writeString(outside.resolve("hostname"), "allowed\n");
    Path project = project("../../../shared");

    Cli refused = Cli.run("plan", "-f", project.resolve("graft.yaml").toString());
    Cli build = Cli.run("build", "-f", project.resolve("graft.yaml").toString(), "--allow-outside", outside.toString(),
        "--cache-dir", tmp.resolve("cache").toString(), "-q");

    assertThat(refused.exitCode()).isNotZero();
    assertThat(build.exitCode()).as(build.err()).isZero();
    Cli ls = Cli.run("ls", "oci-archive:" + project.resolve("out.tar"), "/srv");
    assertThat(ls.out()).contains("/srv/hostname");
  }
}
