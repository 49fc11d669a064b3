package dev.graft.oci;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrintableTest {
  @Test
  void escapesWhatATerminalObeys() {
    assertThat(Printable.path("/a/\u001b]0;t\u0007x")).isEqualTo("/a/\\e]0;t\\ax");
    assertThat(Printable.path("a\nb\tc\rd\u007fe\u009bf")).isEqualTo("a\\nb\\tc\\rd\\x7fe\\u009bf");
    assertThat(Printable.path("x\u202egnp.exe")).isEqualTo("x\\u202egnp.exe");
    assertThat(Printable.path("lone\ud800")).isEqualTo("lone\\ud800");
  }

  @Test
  void keepsOrdinaryNamesAsTheyAreAndBackslashesUnambiguous() {
    String plain = "/usr/lib/node_modules/é/日本/🙂.js";
    assertThat(Printable.path(plain)).isSameAs(plain);
    assertThat(Printable.path("a\\e")).isEqualTo("a\\\\e");
    assertThat(Printable.text("a\\e\u001b")).isEqualTo("a\\e\\e");
    assertThat(Printable.lines("one\ntwo\u001b")).isEqualTo("one\ntwo\\e");
  }
}
