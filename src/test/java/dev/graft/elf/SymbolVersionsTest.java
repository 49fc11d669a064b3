package dev.graft.elf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.testing.TestData;
import dev.graft.testing.Tools;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Symbol versions as glibc's loader binds them, read from real Debian files: bullseye's librt
 * takes {@code __libc_dlopen_mode@GLIBC_PRIVATE} from glibc 2.31, which bookworm's glibc 2.36 no
 * longer defines (why a half-replaced glibc breaks {@code timeout}); {@code memcpy} is defined twice
 * ({@code @GLIBC_2.2.5} hidden, {@code @@GLIBC_2.14} the default).
 */
class SymbolVersionsTest {
  private static DynamicSymbols read(Path file) throws Exception {
    try (SeekableByteChannel ch = Files.newByteChannel(file)) {
      return DynamicSymbols.read(ch, file.toString());
    }
  }

  private static Path extract(Path tmp, String suite, String path) {
    Path dir = tmp.resolve(suite);
    Tools.runOk(Duration.ofMinutes(2), "mkdir", "-p", dir.toString());
    Tools.runOk(Duration.ofMinutes(2), "tar", "-xf", TestData.debianRootfs(suite, "minbase").toString(), "-C",
        dir.toString(), "." + path);
    return dir.resolve(path.substring(1));
  }

  @Test
  void referencesAndDefinitionsCarryTheirVersions(@TempDir Path tmp) throws Exception {
    DynamicSymbols getent = read(extract(tmp, "bullseye", "/usr/bin/getent"));
    assertThat(getent.versionOf("__libc_dynarray_resize")).hasValue("GLIBC_PRIVATE");
    assertThat(getent.versionOf("free")).hasValue("GLIBC_2.2.5");
    DynamicSymbols librt = read(extract(tmp, "bullseye", "/usr/lib/x86_64-linux-gnu/librt-2.31.so"));
    assertThat(librt.versionOf("__libc_dlopen_mode")).hasValue("GLIBC_PRIVATE");

    DynamicSymbols libc231 = read(extract(tmp, "bullseye", "/usr/lib/x86_64-linux-gnu/libc-2.31.so"));
    DynamicSymbols libc236 = read(extract(tmp, "bookworm", "/usr/lib/x86_64-linux-gnu/libc.so.6"));
    assertThat(libc231.serves("__libc_dlopen_mode", "GLIBC_PRIVATE")).isTrue();
    assertThat(libc236.serves("__libc_dlopen_mode", "GLIBC_PRIVATE")).isFalse();
    assertThat(libc236.serves("__libc_dynarray_resize", "GLIBC_PRIVATE")).isTrue();
    assertThat(libc236.serves("malloc", "GLIBC_2.2.5")).isTrue();
    assertThat(libc236.serves("memcpy", "GLIBC_2.2.5")).isTrue(); // the hidden old one, by exact version
    assertThat(libc236.serves("memcpy", "GLIBC_2.14")).isTrue();
    assertThat(libc236.serves("memcpy", "GLIBC_2.99")).isFalse();
    assertThat(libc236.versionedDefinitions().get("memcpy")).containsExactlyInAnyOrder(
        new DynamicSymbols.Definition("GLIBC_2.2.5", true), new DynamicSymbols.Definition("GLIBC_2.14", false));
    assertThat(libc236.serves("memcpy", null)).as("an unversioned reference takes the default").isTrue();
    assertThat(libc236.serves("no_such_function", null)).isFalse();
  }
}
