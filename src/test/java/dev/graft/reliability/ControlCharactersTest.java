package dev.graft.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.testing.HostileImages;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names that drive a terminal (testdata/hostile's {@code control-characters}: OSC title, CSI clear,
 * a newline forging a listing line, BEL, a C1 CSI, a link target that colours the screen) reach no
 * output raw, on any command: they are printed as escapes ({@code \e], \n, \u009b}).
 */
class ControlCharactersTest {
  private static final String IMAGE = "control-characters";
  @TempDir Path tmp;

  /** Nothing a terminal would obey: C0 controls other than line ends, DEL, C1, bidi overrides. */
  private static void assertPrintable(String what, String output) {
    for (int i = 0; i < output.length(); i++) {
      char c = output.charAt(i);
      boolean lineEnd = c == '\n';
      assertThat(!lineEnd && dev.graft.oci.Printable.isUnsafe(c))
          .as("%s has a raw U+%04X at %d: %s", what, (int) c, i, output).isFalse();
    }
  }

  @Test
  void lsEscapesNamesAndLinkTargetsAndNoLineIsForged() {
    Cli ls = HostileRuns.ls(HostileImages.ref(IMAGE), "/app");

    assertThat(ls.exitCode()).as(ls.err()).isZero();
    assertPrintable("ls", ls.out());
    assertThat(ls.out()).contains("/app/\\e]0;pwned\\atitle", "/app/\\e[2Jclear", "/app/bell\\a",
        "/app/c1\\u009b31m", "/app/red -> \\e[31mred", "/app/evil\\n-rw-r--r--     0     0          5 /etc/forged");
    // one line per entry: each starts with its mode, none was forged by a name
    assertThat(ls.out().lines()).hasSize(10).allMatch(l -> l.matches("[-dlcbp][-rwxsStT]{9} .*"))
        .noneMatch(l -> l.contains(" /etc/forged") && !l.contains("evil"));

    Cli json = Cli.run("ls", "--json", HostileImages.ref(IMAGE), "/app");
    assertPrintable("ls --json", json.out());
    assertThat(json.out()).contains("\\u001B]0;pwned\\u0007title", "c1\\u009b31m");
  }

  @Test
  void extractWritesTheNamesAsTheyAreAndPrintsThemEscaped() throws Exception {
    Path out = tmp.resolve("out");
    Cli x = HostileRuns.extract(HostileImages.ref(IMAGE), "/app", out);
    assertThat(x.exitCode()).as(x.err()).isZero();
    assertThat(out.resolve("app/\u001b[2Jclear")).hasContent("c");
    assertPrintable("extract", x.out() + x.err());

    Cli missing = HostileRuns.extract(HostileImages.ref(IMAGE), "/app/bel", tmp.resolve("none"));
    assertThat(missing.exitCode()).isNotZero();
    assertThat(missing.error()).contains("closest existing: /app/bell\\a");
    assertPrintable("extract's error", missing.err());
  }

  @Test
  void verifyReportsTheMissingEntrypointEscaped() {
    Cli v = HostileRuns.verify(HostileImages.ref(IMAGE));
    assertThat(v.exitCode()).isEqualTo(1);
    assertThat(v.out()).contains("ENTRYPOINT_MISSING", "/app/\\e]0;pwned\\amissing");
    assertPrintable("verify", v.out() + v.err());
    Cli json = Cli.run("verify", "--json", HostileImages.ref(IMAGE));
    assertPrintable("verify --json", json.out());
  }

  @Test
  void copyPrintsNothingRaw() {
    Cli c = Cli.run("copy", HostileImages.ref(IMAGE), "oci:" + tmp.resolve("copy") + ":t");
    assertThat(c.exitCode()).as(c.err()).isZero();
    assertPrintable("copy", c.out() + c.err());
  }

  @Test
  void aBuildOnThisBaseReportsItsEntrypointEscaped() throws Exception {
    Cli b = HostileRuns.buildOn(HostileImages.ref(IMAGE), tmp, "--verify", "warn");
    assertThat(b.exitCode()).as(b.err()).isZero();
    assertPrintable("build", b.out() + b.err());
    Cli strict = HostileRuns.buildOn(HostileImages.ref(IMAGE), tmp.resolve("strict"));
    assertThat(strict.exitCode()).isEqualTo(1);
    assertThat(strict.out() + strict.err()).contains("/app/\\e]0;pwned\\amissing");
    assertPrintable("build", strict.out() + strict.err());
  }

  @Test
  void aBuildFromThisBuilderKeepsTheNamesAndPrintsNothingRaw() throws Exception {
    Cli b = HostileRuns.buildFrom(HostileImages.ref(IMAGE), "paths: [/app], closure: off", tmp);
    assertThat(b.exitCode()).as(b.err()).isZero();
    assertPrintable("build", b.out() + b.err());
    Cli ls = HostileRuns.ls("oci:" + tmp.resolve("out") + ":t", "/app");
    assertThat(ls.out()).contains("/app/\\e[2Jclear");
    assertThat(Files.exists(tmp.resolve("out"))).isTrue();
  }
}
