package dev.graft.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs external tools (skopeo, umoci, chroot, qemu) that judge graft's output independently. */
public final class Tools {
  private Tools() {}

  /** The result of a finished process. */
  public record Result(int exitCode, String stdout, String stderr) {
    public Result assertSuccess(List<String> command) {
      if (exitCode != 0) {
        throw new AssertionError("command failed (exit " + exitCode + "): " + String.join(" ", command)
            + "\nstdout: " + stdout + "\nstderr: " + stderr);
      }
      return this;
    }
  }

  /** Fails (not skips) when a tool is missing: scripts/test installs them, so absence is a setup error. */
  public static Path require(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path p = Path.of(dir, tool);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    throw new AssertionError(tool + " is not installed; run scripts/test (it installs it) or apt-get install it");
  }

  public static Result run(Duration timeout, String... command) {
    return run(timeout, null, List.of(command));
  }

  public static Result run(Duration timeout, Path workDir, List<String> command) {
    try {
      Path out = Files.createTempFile("graft-tool", ".out");
      Path err = Files.createTempFile("graft-tool", ".err");
      try {
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        if (workDir != null) {
          pb.directory(workDir.toFile());
        }
        Process p = pb.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
          throw new AssertionError("timed out after " + timeout + ": " + String.join(" ", command));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public static Result runOk(Duration timeout, String... command) {
    return run(timeout, command).assertSuccess(List.of(command));
  }
}
