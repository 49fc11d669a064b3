package dev.graft.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.dockerfile.ShellWords.Unknown;
import dev.graft.dockerfile.ShellWords.Value;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The word processing BuildKit applies to FROM, COPY, ENV, LABEL, … (cases from its lexer's documented rules). */
class ShellWordsTest {
  static ShellWords.Vars vars(Map<String, String> values, Set<String> declared) {
    return new ShellWords.Vars() {
      @Override
      public Optional<Value> get(String name) {
        return Optional.ofNullable(values.get(name)).map(Value::of);
      }

      @Override
      public boolean declared(String name) {
        return declared.contains(name);
      }
    };
  }

  static final ShellWords.Vars V = vars(Map.of("ARCH", "aarch64", "EMPTY", "", "WORDS", "a  b", "PATHX", "/a/b/c.tar.gz"),
      Set.of("UNSET"));

  static String w(String text) {
    return ShellWords.literal(text, '\\', V);
  }

  @Test
  void expandsPlainAndBracedNames() {
    assertThat(w("ghcr.io/home-assistant/$ARCH-base:3.23")).isEqualTo("ghcr.io/home-assistant/aarch64-base:3.23");
    assertThat(w("${ARCH}_x")).isEqualTo("aarch64_x");
    assertThatThrownBy(() -> w("$ARCH_x")).as("a name runs as far as letters, digits and _ go")
        .hasMessageStartingWith("$ARCH_x has no value here");
  }

  @Test
  void aLoneDollarOrADollarBeforeAnOtherCharacterStaysLiteral() {
    assertThat(w("cost: 5$")).isEqualTo("cost: 5$");
    assertThat(w("a$/b")).isEqualTo("a$/b");
  }

  @Test
  void quotesAreRemovedSingleQuotesKeepDollarsDoubleQuotesExpand() {
    assertThat(w("'$ARCH'")).isEqualTo("$ARCH");
    assertThat(w("\"$ARCH is \\\"here\\\"\"")).isEqualTo("aarch64 is \"here\"");
    assertThat(w("\"a\\b\"")).as("inside double quotes only \\\", \\$ and \\\\ are escapes").isEqualTo("a\\b");
    assertThat(w("a\\ b\\$ARCH")).isEqualTo("a b$ARCH");
  }

  @Test
  void modifiersFollowPosix() {
    assertThat(w("${EMPTY:-d}|${EMPTY-d}|${UNSET:-d}|${UNSET-d}|${NOPE-d}")).isEqualTo("d||d|d|d");
    assertThat(w("${ARCH:+yes}|${EMPTY:+yes}|${EMPTY+yes}|${UNSET+yes}")).isEqualTo("yes||yes|");
    assertThat(w("${PATHX#*/}|${PATHX##*/}|${PATHX%.*}|${PATHX%%.*}")).isEqualTo("a/b/c.tar.gz|c.tar.gz|/a/b/c.tar|/a/b/c");
    assertThat(w("${PATHX/b/B}|${PATHX//\\//_}")).isEqualTo("/a/B/c.tar.gz|_a_b_c.tar.gz");
    assertThat(w("${EMPTY:-$ARCH}x${UNSET:-${ARCH}}")).isEqualTo("aarch64xaarch64");
  }

  @Test
  void questionMarkModifierFailsWithItsMessage() {
    assertThatThrownBy(() -> w("${UNSET:?set BUILD_FROM}")).hasMessage("UNSET: set BUILD_FROM");
    assertThatThrownBy(() -> w("${EMPTY:?}")).hasMessage("EMPTY: is not allowed to be empty");
  }

  @Test
  void anUndeclaredNameIsAnErrorThatSaysHowToDeclareIt() {
    assertThatThrownBy(() -> w("$BUILD_ARCH-base"))
        .isInstanceOf(ShellWords.WordException.class)
        .hasMessage("$BUILD_ARCH has no value here: declare it with ARG BUILD_ARCH (with a default, or give "
            + "--build-arg BUILD_ARCH=…)");
    assertThat(w("[$UNSET]")).as("declared without a value: empty, as in BuildKit").isEqualTo("[]");
  }

  @Test
  void syntaxErrorsAreNamed() {
    assertThatThrownBy(() -> w("${ARCH")).hasMessage("syntax error: missing '}'");
    assertThatThrownBy(() -> w("${}")).hasMessage("syntax error: bad substitution");
    assertThatThrownBy(() -> w("${ARCH:=x}")).hasMessage("unsupported modifier (:=) in substitution");
    assertThatThrownBy(() -> w("'open")).hasMessageContaining("matching single-quote");
    assertThatThrownBy(() -> w("\"open")).hasMessageContaining("matching double-quote");
  }

  @Test
  void wordsSplitAfterExpansionButNotInsideQuotes() {
    ShellWords.Result r = ShellWords.process("80/tcp $WORDS \"c d\" ''", '\\', V, Unknown.ERROR);
    assertThat(r.words()).containsExactly("80/tcp", "a", "b", "c d");
  }

  @Test
  void backtickIsTheEscapeAfterTheEscapeDirective() {
    assertThat(ShellWords.literal("C:\\app` dir", '`', V)).isEqualTo("C:\\app dir");
  }

  @Test
  void aNameTheDockerfileDoesNotSetIsDeferredToTheBaseImageInATemplate() {
    ShellWords.Result r = ShellWords.process("/app/bin:$PATH:${HOME}/x:cost\\$5", '\\', V, Unknown.DEFER);
    assertThat(r.template()).isTrue();
    assertThat(r.text()).isEqualTo("/app/bin:${PATH}:${HOME}/x:cost$$5");
    ShellWords.Result plain = ShellWords.process("cost\\$5 $ARCH", '\\', V, Unknown.DEFER);
    assertThat(plain.template()).isFalse();
    assertThat(plain.text()).isEqualTo("cost$5 aarch64");
  }

  @Test
  void aTemplateValueUsedAgainStaysATemplate() {
    ShellWords.Vars withTemplate = vars(Map.of(), Set.of());
    ShellWords.Vars v = name -> name.equals("P") ? Optional.of(new Value("/x:${PATH}", true))
        : withTemplate.get(name);
    ShellWords.Result r = ShellWords.process("$P:/y", '\\', v, Unknown.DEFER);
    assertThat(r.template()).isTrue();
    assertThat(r.text()).isEqualTo("/x:${PATH}:/y");
  }

  @Test
  void aModifierOnABaseImageVariableIsRefusedRatherThanGuessed() {
    assertThatThrownBy(() -> ShellWords.process("${PATH:-/usr/bin}", '\\', V, Unknown.DEFER))
        .hasMessageContaining("needs the value of PATH, which the Dockerfile does not set");
  }

  @Test
  void patternEscapesAreLiteral() {
    ShellWords.Vars v = vars(Map.of("S", "a*b*c"), Set.of());
    assertThat(ShellWords.literal("${S%\\**}", '\\', v)).isEqualTo("a*b");
    assertThat(ShellWords.literal("${S//\\*/-}", '\\', v)).isEqualTo("a-b-c");
  }

  @Test
  void namesAreCaseSensitive() {
    assertThat(List.of(w("${UNSET:-x}"), ShellWords.literal("${arch:-lower}", '\\', V))).containsExactly("x", "lower");
  }
}
