package dev.graft.dist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.testing.TestData;
import dev.graft.testing.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release bundle `mvn package` makes (target/graft-VERSION.tar.gz and .zip), unpacked by tar
 * and unzip into a temp directory and run the way a user installs it: {@code bin/graft} through a
 * symlink on PATH, with a clean environment (no GRAFT_* variables, an empty HOME) on each JDK
 * this machine has.
 */
class ReleaseBundleIT {
  static final String VERSION = System.getProperty("graft.version");
  static final Path BUNDLE = Path.of(System.getProperty("graft.bundle", "target/graft-" + VERSION));
  /** Another JDK than the one running the tests (this machine's Temurin 25), when installed. */
  static final Path TEMURIN = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

  @TempDir Path tmp;

  @Test
  void theTarAndZipHoldTheSameFilesWithFixedTimesAndModes() throws IOException {
    Path fromTar = tmp.resolve("tar");
    unpackTar(fromTar);
    Path fromZip = Files.createDirectories(tmp.resolve("zip"));
    Tools.runOk(java.time.Duration.ofMinutes(2), "unzip", "-q", BUNDLE + ".zip", "-d", fromZip.toString());
    List<String> files = listing(fromTar);
    List<String> expected = new ArrayList<>(List.of("bin/graft", "lib/graft.jar", "README.md", "LICENSE",
        "completion/graft.bash", "completion/_graft", "completion/graft.fish"));
    try (Stream<Path> docs = Files.walk(TestData.projectRoot().resolve("docs"))) {
      docs.filter(Files::isRegularFile).forEach(d -> expected.add(TestData.projectRoot().relativize(d).toString()));
    }
    assertThat(files).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(listing(fromZip)).isEqualTo(files);
    for (String f : files) {
      assertThat(Files.mismatch(top(fromTar).resolve(f), top(fromZip).resolve(f))).as(f).isEqualTo(-1);
    }
    assertThat(Files.isExecutable(top(fromZip).resolve("bin/graft"))).isTrue();
    // every entry has the pom's outputTimestamp and a fixed owner: the same bytes on any machine
    String verbose = Tools.runOk(java.time.Duration.ofMinutes(1), "tar", "--full-time", "-tvzf", BUNDLE + ".tar.gz")
        .stdout();
    assertThat(verbose.lines()).allSatisfy(l -> assertThat(l).contains(" 1980-01-01 00:00:02 ")
        .matches("^(-rw-r--r--|-rwxr-xr-x|drwxr-xr-x) .*"));
  }

  @Test
  void graftRunsFromTheBundleThroughASymlinkOnPathOnACleanJdk() throws Exception {
    Path home = unpackTar(tmp.resolve("opt"));
    Path binDir = Files.createDirectories(tmp.resolve("home/.local/bin"));
    Files.createSymbolicLink(binDir.resolve("graft"), home.resolve("bin/graft"));
    List<Path> jdks = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"))));
    if (Files.isExecutable(TEMURIN.resolve("bin/java"))) {
      jdks.add(TEMURIN);
    }
    String commit = expectedCommit();
    for (Path jdk : jdks) {
      Result v = run(binDir, jdk, "graft --version");
      assertThat(v.code()).as(v.err()).isZero();
      assertThat(v.out().lines().findFirst().orElse("")).as(jdk.toString())
          .isEqualTo("graft " + VERSION + " (commit " + commit + ")");
      assertThat(v.out()).contains("java " + (jdk.equals(TEMURIN) ? "25" : System.getProperty("java.version")));
    }
    Result fish = run(binDir, jdks.get(0), "graft completion fish");
    assertThat(fish.out()).isEqualTo(Files.readString(home.resolve("completion/graft.fish")));
    Result plan = run(binDir, jdks.get(0), "cd " + TestData.projectRoot().resolve("testdata/example")
        + " && graft plan --platform linux/amd64");
    assertThat(plan.code()).as(plan.err()).isZero();
    assertThat(plan.out()).contains("linux/amd64");
  }

  @Test
  void theActionsGetGraftStepInstallsTheBundleOnThePath() throws Exception {
    Path runnerTemp = Files.createDirectories(tmp.resolve("runner-temp"));
    Path githubPath = Files.createFile(tmp.resolve("github-path"));
    ActionTest.Result r = ActionTest.runGetGraft(Path.of(BUNDLE + ".tar.gz"), runnerTemp, githubPath, tmp);
    assertThat(r.code()).as(r.out()).isZero();
    assertThat(r.out()).contains("graft " + VERSION + " (commit ");
    assertThat(Files.readString(githubPath).strip()).isEqualTo(runnerTemp.resolve("graft/bin").toString());
    assertThat(runnerTemp.resolve("graft/lib/graft.jar")).isRegularFile();
  }

  /** What the build stamped: the checkout's commit (as `git describe` names it), else "unknown". */
  private static String expectedCommit() {
    Tools.Result git = Tools.run(java.time.Duration.ofMinutes(1), TestData.projectRoot(), List.of("git", "describe",
        "--always", "--dirty=-dirty", "--abbrev=12", "--match=graft-no-tag-matches-this"));
    return git.exitCode() == 0 ? git.stdout().strip() : "unknown";
  }

  record Result(int code, String out, String err) {}

  private Result run(Path binDir, Path jdk, String script) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("sh", "-c", script).redirectInput(ProcessBuilder.Redirect.from(
        new java.io.File("/dev/null")));
    Map<String, String> env = pb.environment();
    env.clear();
    env.put("PATH", binDir + ":/usr/bin:/bin");
    env.put("HOME", binDir.getParent().getParent().toString());
    env.put("JAVA_HOME", jdk.toString());
    env.put("LANG", "C.UTF-8");
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
  }

  private static Path unpackTar(Path dir) throws IOException {
    Files.createDirectories(dir);
    Tools.runOk(java.time.Duration.ofMinutes(2), "tar", "-xzf", BUNDLE + ".tar.gz", "-C", dir.toString());
    return top(dir);
  }

  private static Path top(Path dir) {
    return dir.resolve("graft-" + VERSION);
  }

  private static List<String> listing(Path dir) throws IOException {
    Path top = top(dir);
    try (Stream<Path> s = Files.walk(top)) {
      return s.filter(Files::isRegularFile).map(p -> top.relativize(p).toString()).sorted().toList();
    }
  }
}
