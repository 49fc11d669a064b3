package dev.graft.dist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.testing.TestData;
import dev.graft.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every class graft.jar gives a run goes into a class-data archive: bin/graft makes one from a
 * build (AppCDS; JDK 25's AOT cache has the same rule), and the JVM leaves out classes of Java 5
 * bytecode or older. picocli publishes such classes; graft.jar carries picocli compiled from its
 * sources at Java 17 instead (pom.xml), so the archive holds the command-line model's classes.
 * Here the JVM itself says where each class came from ({@code -Xlog:class+load}).
 */
class ClassArchiveIT {
  static final Path JAR = TestData.projectRoot().resolve("target/graft.jar");

  @Test
  void aRunWithTheArchiveLoadsNoClassFromTheJarItself(@TempDir Path tmp) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path archive = tmp.resolve("graft.jsa");
    // `--help` models every command (picocli's whole tree), so it loads the CLI's classes
    Tools.runOk(Duration.ofMinutes(2), java, "-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=off",
        "-Xlog:cds+dynamic=off", "-jar", JAR.toString(), "--help");
    assertThat(archive).isNotEmptyFile();
    Path log = tmp.resolve("classes.log");
    Tools.Result run = Tools.runOk(Duration.ofMinutes(2), java, "-XX:SharedArchiveFile=" + archive, "-Xshare:on",
        "-Xlog:class+load=info:file=" + log, "-jar", JAR.toString(), "--help");
    assertThat(run.stdout()).contains("Usage: graft");
    List<String> lines = Files.readAllLines(log);
    assertThat(lines).anyMatch(l -> l.contains(" picocli.CommandLine source: shared objects file"));
    assertThat(lines).as("classes read from graft.jar again, not from the archive (old bytecode?)")
        .noneMatch(l -> l.contains("source: file:") || l.contains("source: jar:"));
  }
}
