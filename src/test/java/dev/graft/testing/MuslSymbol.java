package dev.graft.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The project's own musl program ({@code testdata/musl-symbol/getname.c}): linked by Debian's
 * musl-gcc (musl 1.2.3) against {@code /lib/ld-musl-x86_64.so.1}, it calls {@link #NEEDS}, which
 * musl gained in 1.2.3. Alpine 3.15's musl 1.2.2 lacks it (read from the minirootfs: it is the one
 * symbol of 1.2.3's libc that 3.15.11's lacks and 3.16's has; qsort_r was backported to 3.15).
 * Compiled once by {@code testdata/musl-symbol/build.sh}, cached under {@link TestData#cacheDir()}.
 */
public final class MuslSymbol {
  /** The function musl 1.2.3 added that the program calls. */
  public static final String NEEDS = "pthread_getname_np";

  private static Path built;

  private MuslSymbol() {}

  /** The program: prints "thread name: graft" where it starts. */
  public static synchronized Path getname() {
    if (built == null) {
      Tools.require("musl-gcc");
      Path script = TestData.projectRoot().resolve("testdata/musl-symbol/build.sh");
      List<String> cmd = List.of("bash", script.toString(), TestData.cacheDir().toString());
      built = Path.of(Tools.run(Duration.ofMinutes(2), null, cmd).assertSuccess(cmd).stdout().trim());
    }
    Path p = built.resolve("getname");
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException("testdata/musl-symbol/build.sh made no " + p);
    }
    return p;
  }
}
