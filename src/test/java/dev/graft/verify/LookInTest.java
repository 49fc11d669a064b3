package dev.graft.verify;

import static dev.graft.testing.NpmFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.cli.Main;
import dev.graft.oci.Platform;
import dev.graft.testing.ElfPatch;
import dev.graft.testing.MuslSymbol;
import dev.graft.testing.Tools;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A finding names where its need is met: the other image ({@code graft verify --look-in}, or the
 * builder in {@code graft build}) whose loader finds a library defining the missing symbol or
 * symbol version. Real images: Alpine 3.15 (musl 1.2.2) vs 3.18 (musl 1.2.4), and Debian
 * bookworm's libstdc++ vs the same file with one version definition taken away.
 */
class LookInTest {
  private static final String PROG = "/usr/local/bin/getname";
  @TempDir static Path shared;
  static BrokenImage.Bases bases;
  @TempDir Path tmp;

  @BeforeAll
  static void bases() {
    bases = new BrokenImage.Bases(shared);
  }

  private static BrokenImage.Built getnameOn(String alpine, Path dir) {
    return BrokenImage.alpine(bases, alpine, Platform.LINUX_AMD64, dir).copy(MuslSymbol.getname(), PROG)
        .entrypoint(PROG).build();
  }

  @Test
  void namesTheLookInImageWhoseMuslDefinesTheMissingSymbol() {
    BrokenImage.Built old = getnameOn("3.15", tmp.resolve("3.15"));
    BrokenImage.Built sameMusl = getnameOn("3.15", tmp.resolve("3.15b"));
    BrokenImage.Built newer = getnameOn("3.18", tmp.resolve("3.18"));
    String expected = "'Error relocating " + PROG + ": " + MuslSymbol.NEEDS + ": symbol not found'; image " + newer.ref()
        + " has /lib/ld-musl-x86_64.so.1 (libc.so) defining " + MuslSymbol.NEEDS + ": graft it with closure: auto";

    BrokenImage.Verdict v = old.verify("--look-in", sameMusl.ref(), "--look-in", newer.ref());
    assertThat(v.exitCode()).as(v.err()).isEqualTo(1);
    assertThat(v.codes()).containsExactly("error SYMBOL_MISSING " + PROG); // the code stays; the message says more
    assertThat(v.message("SYMBOL_MISSING")).startsWith(PROG + " uses " + MuslSymbol.NEEDS).contains(expected + "\nfix:");

    // an image whose musl lacks it too is no answer; without --look-in the message is as before
    BrokenImage.Verdict none = old.verify("--look-in", sameMusl.ref());
    assertThat(none.message("SYMBOL_MISSING")).doesNotContain("; image ").contains("symbol not found'\nfix:");
    assertThat(old.verify().message("SYMBOL_MISSING")).doesNotContain("; image ");

    // what the message says holds: the 3.18 image's musl runs the program, the 3.15 one does not
    assertThat(old.run().stderr()).contains(MuslSymbol.NEEDS + ": symbol not found");
    Tools.Result ok = newer.run();
    assertThat(ok.exitCode()).as(ok.stderr()).isZero();
  }

  @Test
  void namesTheLookInImageWhoseLibstdcxxDefinesTheMissingVersion() throws Exception {
    // bookworm with an older libstdc++: its GLIBCXX_3.4.21 definition renamed away, as a
    // libstdc++ from before GCC 5 lacks it; npm's node needs it
    BrokenImage image = BrokenImage.debian(bases, tmp.resolve("old")).copy(file(NODE_X64, "bin/node"), "/usr/local/bin/node");
    Path bookworm = bases.unpacked(dev.graft.testing.TestData.debianRootfs("bookworm", "minbase"));
    String lib = "/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30";
    image.copy(bookworm.resolve(lib.substring(1)), lib);
    ElfPatch.renameVersionDef(tmp.resolve("old/layer" + lib), "GLIBCXX_3.4.21", "XLIBCXX_3.4.21");
    BrokenImage.Built old = image.entrypoint("node", "--version").build();
    BrokenImage.Built debian = BrokenImage.debian(bases, tmp.resolve("debian"))
        .write("/README", "bookworm as debootstrap made it\n", false).build();

    BrokenImage.Verdict v = old.verify("--look-in", debian.ref());
    assertThat(v.exitCode()).as(v.err()).isEqualTo(1);
    assertThat(v.codes()).containsExactly("error SYMBOL_VERSION /usr/local/bin/node");
    assertThat(v.message("SYMBOL_VERSION")).startsWith("/usr/local/bin/node needs GLIBCXX_3.4.21 from libstdc++.so.6,"
        + " but " + lib + " defines only up to GLIBCXX_3.4.30").contains("not found' at run time); image " + debian.ref()
        + " has " + lib + " defining GLIBCXX_3.4.21: graft it with closure: auto\nfix:");
    Tools.Result run = old.run();
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.stderr()).contains("version `GLIBCXX_3.4.21' not found (required by node)");
  }

  @Test
  void namesTheLookInImageWhereEachMissingLibraryResolves() {
    // FROM scratch + COPY node: no loader, no library; bookworm has them all
    BrokenImage.Built scratch = BrokenImage.scratch(Platform.LINUX_AMD64, tmp.resolve("scratch"))
        .copy(file(NODE_X64, "bin/node"), "/usr/local/bin/node").entrypoint("/usr/local/bin/node", "--version").build();
    BrokenImage.Built debian = BrokenImage.debian(bases, tmp.resolve("debian"))
        .write("/README", "bookworm as debootstrap made it\n", false).build();
    BrokenImage.Verdict v = scratch.verify("--look-in", debian.ref());
    assertThat(v.exitCode()).as(v.err()).isEqualTo(1);
    java.util.List<String> libraries = new java.util.ArrayList<>();
    v.findings().forEach(f -> {
      if (f.path("code").asText().equals("LIBRARY_MISSING")) {
        libraries.add(f.path("message").asText());
      }
    });
    assertThat(libraries).hasSizeGreaterThan(3).allSatisfy(m -> assertThat(m).contains("; image " + debian.ref()
        + " has /usr/lib/x86_64-linux-gnu/").endsWith(": graft it with closure: auto"));
    assertThat(v.message("INTERPRETER_MISSING")).contains("names the program loader /lib64/ld-linux-x86-64.so.2, which "
        + "is not in the image; starting it fails with 'No such file or directory'; image " + debian.ref()
        + " has it (/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2): graft it with closure: auto\nfix:");
    assertThat(libraries).anySatisfy(m -> assertThat(m).startsWith("libstdc++.so.6 (needed by /usr/local/bin/node)")
        .endsWith("; image " + debian.ref() + " has /usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30: graft it with"
            + " closure: auto"));
  }

  @Test
  void refusesALookInImageWithoutThePlatform() {
    BrokenImage.Built amd64 = getnameOn("3.18", tmp.resolve("amd64"));
    BrokenImage.Built arm64 = BrokenImage.alpine(bases, "3.18", Platform.LINUX_ARM64, tmp.resolve("arm64"))
        .write("/README", "arm64\n", false).build();
    BrokenImage.Verdict v = amd64.verify("--look-in", arm64.ref());
    assertThat(v.exitCode()).isEqualTo(2);
    assertThat(v.err()).contains("--look-in " + arm64.ref() + " has no image for linux/amd64");
  }

  /**
   * {@code graft build} looks in its builder: getname taken from an Alpine 3.18 builder without its
   * closure onto an Alpine 3.15 base is refused, naming the builder's musl; the cached report of a
   * rebuild says the same, and one with another builder does not reuse it.
   */
  @Test
  void buildNamesTheBuilderThatHasTheMissingSymbol() throws Exception {
    BrokenImage.Built base = BrokenImage.alpine(bases, "3.15", Platform.LINUX_AMD64, tmp.resolve("base"))
        .write("/README", "base\n", false).build();
    BrokenImage.Built builder = getnameOn("3.18", tmp.resolve("builder"));
    BrokenImage.Built oldBuilder = getnameOn("3.15", tmp.resolve("old-builder"));
    Path app = Files.createDirectories(tmp.resolve("app"));
    Files.writeString(app.resolve("graft.yaml"), "base: " + base.ref() + "\nbuilder: " + builder.ref() + "\n"
        + "platforms: [linux/amd64]\n"
        + "layers:\n  - { name: prog, from: builder, paths: [" + PROG + "], closure: off }\n"
        + "config:\n  entrypoint: [" + PROG + "]\n"
        + "to: oci:" + tmp.resolve("out") + ":app\n");
    String names = "; builder " + builder.ref() + " has /lib/ld-musl-x86_64.so.1 (libc.so) defining "
        + MuslSymbol.NEEDS + ": graft it with closure: auto";

    String[] first = build(app);
    assertThat(first[0]).isEqualTo("1");
    assertThat(first[1]).contains("[SYMBOL_MISSING] " + PROG, MuslSymbol.NEEDS + ": symbol not found'" + names);
    String[] again = build(app);
    assertThat(again[0]).isEqualTo("1");
    assertThat(again[1]).contains("reusing the report of an earlier build", names);

    // verified again with the selection cached (the builder not read for it): read for the finding
    Tools.runOk(java.time.Duration.ofMinutes(1), "rm", "-rf", tmp.resolve("cache/verify").toString());
    String[] unverified = build(app);
    assertThat(unverified[0]).isEqualTo("1");
    assertThat(unverified[1]).doesNotContain("reusing the report").contains(names);

    String[] other = build(app, "--set", "builder=" + oldBuilder.ref());
    assertThat(other[0]).isEqualTo("1");
    assertThat(other[1]).contains("[SYMBOL_MISSING] " + PROG).doesNotContain("reusing the report", "; builder ");
    assertThat(Files.exists(tmp.resolve("out"))).as("nothing written").isFalse();
  }

  /** {@code graft build -f app/graft.yaml} with its own cache: exit code and stderr. */
  private String[] build(Path app, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    java.util.List<String> argv = new java.util.ArrayList<>(java.util.List.of("build", "-f",
        app.resolve("graft.yaml").toString(), "--cache-dir", tmp.resolve("cache").toString()));
    argv.addAll(java.util.List.of(args));
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), argv.toArray(String[]::new));
    return new String[] {String.valueOf(code), err.toString()};
  }
}
