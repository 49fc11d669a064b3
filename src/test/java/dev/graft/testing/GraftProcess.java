package dev.graft.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs graft's CLI in a JVM of its own (the test's class path, {@code dev.graft.cli.Main}): for
 * environment variables (GRAFT_PASSWORD…) a test cannot set in-process, and for two graft
 * processes working at once.
 */
public final class GraftProcess {
  private final Process process;
  private final Path out;
  private final Path err;

  /** The result: exit code and everything printed. */
  public record Result(int exitCode, String out, String err) {}

  private GraftProcess(Process process, Path out, Path err) {
    this.process = process;
    this.out = out;
    this.err = err;
  }

  /** Starts {@code graft ARGS} with {@code env} added to (a copy of) this JVM's environment. */
  public static GraftProcess start(Map<String, String> env, String... args) throws IOException {
    return start("256m", env, args);
  }

  /** As {@link #start(Map, String...)}, with a heap of at most {@code maxHeap} ({@code -Xmx}). */
  public static GraftProcess start(String maxHeap, Map<String, String> env, String... args) throws IOException {
    return start(List.of("-Xmx" + maxHeap), env, args);
  }

  /** As {@link #start(Map, String...)}, with these JVM options (e.g. {@code -Djava.io.tmpdir=…}). */
  public static GraftProcess start(List<String> jvmOptions, Map<String, String> env, String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (jvmOptions.stream().noneMatch(o -> o.startsWith("-Xmx"))) {
      cmd.add("-Xmx256m");
    }
    cmd.addAll(jvmOptions);
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("dev.graft.cli.Main");
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile("graft-out", ".txt");
    Path err = Files.createTempFile("graft-err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    // hermetic: graft's own variables and a CI's identity tokens (--keyless) come only from the test
    pb.environment().keySet().removeIf(k -> k.startsWith("GRAFT_") || k.startsWith("ACTIONS_ID_TOKEN_")
        || k.equals("SIGSTORE_ID_TOKEN"));
    pb.environment().putAll(env);
    return new GraftProcess(pb.start(), out, err);
  }

  /** Sends a signal by name ({@code INT}, {@code TERM}, {@code KILL}) to the process. */
  public void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new IOException("kill -" + name + " " + process.pid() + " failed");
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Waits (at most 5 minutes) and returns what the process printed. */
  public Result await() throws IOException, InterruptedException {
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("graft did not finish within 5 minutes");
    }
    Result r = new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
    Files.deleteIfExists(out);
    Files.deleteIfExists(err);
    return r;
  }

  public static Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
    return start(env, args).await();
  }
}
