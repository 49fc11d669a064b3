package dev.graft.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The time an app's image says it was made, reproducibly: {@code SOURCE_DATE_EPOCH} when set, else
 * the time of the last git commit that touched the app directory (so rebuilding the same commit
 * anywhere gives the same image, and an unchanged app keeps its digest across other commits), else
 * graft's fixed default. git is asked, not parsed: packed objects and worktrees are its business.
 */
final class SourceDate {
  private SourceDate() {}

  /** {@code env} with SOURCE_DATE_EPOCH set from git when it is not already; {@code notes} says where it came from. */
  static Map<String, String> withEpoch(Map<String, String> env, Path dir, java.util.List<String> notes) {
    String set = env.get("SOURCE_DATE_EPOCH");
    if (set != null && !set.isBlank()) {
      return env;
    }
    Optional<Long> commit = lastCommit(dir);
    if (commit.isEmpty()) {
      return env;
    }
    Map<String, String> out = new java.util.HashMap<>(env);
    out.put("SOURCE_DATE_EPOCH", String.valueOf(commit.get()));
    notes.add("image and file times are the app's last git commit, " + java.time.Instant.ofEpochSecond(commit.get())
        + " (set SOURCE_DATE_EPOCH to choose another)");
    return out;
  }

  /** The committer time of the last commit touching {@code dir}, if it is in a git work tree and git runs. */
  static Optional<Long> lastCommit(Path dir) {
    ProcessBuilder pb = new ProcessBuilder("git", "-C", dir.toString(), "log", "-1", "--format=%ct", "--", ".")
        .redirectErrorStream(false).redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().keySet().removeIf(k -> k.startsWith("GIT_"));
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readNBytes(256);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return Optional.empty();
      }
      String text = new String(out, StandardCharsets.UTF_8).strip();
      return p.exitValue() == 0 && text.matches("\\d+") ? Optional.of(Long.parseLong(text)) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty(); // no git: the fixed default
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
