package dev.graft.verify.image;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a verification looked at, and what it saw: every {@link ImageFiles} question it asked
 * (lstat, list, the content it read, named by {@link ImageFiles#contentId}) with its answer. The
 * checks are pure functions of those answers (plus platform and environment, which the caller
 * keys on), so when every question gets the same answer from another image, its report is the
 * same — without parsing a single ELF file. A rebuild that changed only an app's JavaScript asks
 * nothing new: its directory listings and file types are unchanged and its files are never read.
 *
 * <p>Sizes are not recorded: the checks never decide on a size without reading the content.
 */
public record VerifyTrace(List<Step> steps) {
  /** One question: {@code op} is {@code L} (lstat), {@code D} (list) or {@code C} (content). */
  public record Step(char op, String path, String answer) {
    public Step {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(answer, "answer");
      if (op != 'L' && op != 'D' && op != 'C') {
        throw new IllegalArgumentException("unknown trace op " + op);
      }
    }
  }

  public VerifyTrace {
    steps = List.copyOf(steps);
  }

  /** Whether {@code files} answers every question as recorded (reads no file content). */
  public boolean holds(ImageFiles files) {
    for (Step s : steps) {
      Optional<String> now = answer(files, s.op(), s.path());
      if (now.isEmpty() || !now.get().equals(s.answer())) {
        return false;
      }
    }
    return true;
  }

  static Optional<String> answer(ImageFiles files, char op, String path) {
    return switch (op) {
      case 'L' -> Optional.of(files.lstat(path).map(VerifyTrace::describe).orElse("-"));
      case 'D' -> Optional.of(String.join("/", files.list(path)));
      case 'C' -> files.contentId(path);
      default -> Optional.empty();
    };
  }

  static String describe(ImageFiles.Entry e) {
    return e.type().name().charAt(0) + Integer.toOctalString(e.mode() & 07777)
        + (e.isSymlink() ? ">" + e.linkTarget() : "");
  }

  /**
   * Records the questions asked through it. {@link #trace()} is empty when a file was read whose
   * content the view cannot name, or when it asked over {@link #MAX_STEPS} questions: such a
   * verification cannot be reused.
   */
  public static final class Recorder implements ImageFiles {
    /**
     * A verification that asks more than this is not kept for reuse: its trace would cost more
     * memory than the image's whole tree (a node_modules of a million files is asked about each).
     */
    static final int MAX_STEPS = 100_000;

    private final ImageFiles files;
    private final Map<String, Step> steps = new LinkedHashMap<>();
    private boolean unnamed;

    public Recorder(ImageFiles files) {
      this.files = files;
    }

    private synchronized void record(char op, String path, String answer) {
      if (unnamed) {
        return;
      }
      steps.putIfAbsent(op + path, new Step(op, path, answer));
      if (steps.size() > MAX_STEPS) {
        unnamed = true; // too big to keep: this verification is not reused
        steps.clear();
      }
    }

    public synchronized Optional<VerifyTrace> trace() {
      return unnamed ? Optional.empty() : Optional.of(new VerifyTrace(new ArrayList<>(steps.values())));
    }

    @Override
    public Optional<Entry> lstat(String absPath) {
      Optional<Entry> e = files.lstat(absPath);
      record('L', absPath, e.map(VerifyTrace::describe).orElse("-"));
      return e;
    }

    @Override
    public java.io.InputStream open(String absPath) throws java.io.IOException {
      read(absPath);
      return files.open(absPath);
    }

    @Override
    public java.nio.channels.SeekableByteChannel openChannel(String absPath) throws java.io.IOException {
      read(absPath);
      return files.openChannel(absPath);
    }

    private void read(String absPath) {
      Optional<String> id = files.contentId(absPath);
      if (id.isEmpty()) {
        synchronized (this) {
          unnamed = true;
          steps.clear();
        }
      } else {
        record('C', absPath, id.get());
      }
    }

    @Override
    public List<String> list(String absPath) {
      List<String> names = files.list(absPath);
      record('D', absPath, String.join("/", names));
      return names;
    }

    /** A caller that names content instead of reading it (a parse shared by content) depends on it all the same. */
    @Override
    public Optional<String> contentId(String absPath) {
      Optional<String> id = files.contentId(absPath);
      id.ifPresent(i -> record('C', absPath, i));
      return id;
    }
  }
}
