package dev.graft.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Line-level reading of Dockerfiles, after BuildKit's parser rules. */
class DockerfileTest {
  static Dockerfile parse(String text) {
    return Dockerfile.parse("app/Dockerfile", text);
  }

  @Test
  void readsInstructionsWithTheirLinesKeywordsAnyCase() {
    Dockerfile d = parse("# comment\nARG BUILD_FROM=ghcr.io/home-assistant/base:3.23\n\nfrom ${BUILD_FROM}\n"
        + "  COPY rootfs /\n");
    assertThat(d.instructions()).extracting(Instruction::keyword, Instruction::line, Instruction::args)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("ARG", 2, "BUILD_FROM=ghcr.io/home-assistant/base:3.23"),
            org.assertj.core.groups.Tuple.tuple("FROM", 4, "${BUILD_FROM}"),
            org.assertj.core.groups.Tuple.tuple("COPY", 5, "rootfs /"));
    assertThat(d.escape()).isEqualTo('\\');
  }

  @Test
  void joinsContinuationLinesSkippingCommentsAndBlankLinesWithAWarning() {
    Dockerfile d = parse("LABEL \\\n    a=1 \\\n# a comment inside\n\n    b=2\nCMD x\n");
    Instruction label = d.instructions().get(0);
    assertThat(label.args()).isEqualTo("a=1     b=2");
    assertThat(label.line()).isEqualTo(1);
    assertThat(label.endLine()).isEqualTo(5);
    assertThat(d.instructions().get(1).line()).isEqualTo(6);
    assertThat(d.warnings()).containsExactly("app/Dockerfile:1: empty continuation line (BuildKit warns that these "
        + "will become errors)");
  }

  @Test
  void anEscapedEscapeAtTheEndDoesNotContinue() {
    Dockerfile d = parse("RUN echo a\\\\\nCMD b\n");
    assertThat(d.instructions()).extracting(Instruction::keyword).containsExactly("RUN", "CMD");
    assertThat(d.instructions().get(0).args()).isEqualTo("echo a\\\\");
  }

  @Test
  void trailingBlanksAfterTheEscapeStillContinue() {
    Dockerfile d = parse("ENV A=1 \\  \t\n  B=2\n");
    assertThat(d.instructions()).singleElement().extracting(Instruction::args).isEqualTo("A=1   B=2");
  }

  @Test
  void theEscapeDirectiveMakesBacktickTheContinuationCharacter() {
    Dockerfile d = parse("# escape=`\n\nCOPY a `\n  C:\\dest\\\n");
    assertThat(d.escape()).isEqualTo('`');
    assertThat(d.instructions()).singleElement().extracting(Instruction::args).isEqualTo("a   C:\\dest\\");
  }

  @Test
  void directivesCountOnlyAtTheTopAndOnlyOnce() {
    Dockerfile d = parse("# syntax=docker/dockerfile:1\n# check=skip=JSONArgsRecommended\nFROM a\n# escape=`\nCOPY x \\\n y\n");
    assertThat(d.syntax()).contains("docker/dockerfile:1");
    assertThat(d.escape()).as("a directive after an instruction is a comment").isEqualTo('\\');
    assertThat(d.instructions().get(1).args()).isEqualTo("x  y");
    assertThatThrownBy(() -> parse("# escape=`\n# escape=\\\nFROM a\n"))
        .isInstanceOf(DockerfileException.class)
        .hasMessage("app/Dockerfile:2: only one escape parser directive can be used");
    assertThatThrownBy(() -> parse("# escape=x\nFROM a\n")).hasMessageContaining("invalid escape token 'x'");
  }

  @Test
  void aByteOrderMarkAndCarriageReturnsAreDropped() {
    Dockerfile d = parse("\uFEFF# escape=`\r\nFROM a\r\nCMD [\"x\"]\r\n");
    assertThat(d.escape()).isEqualTo('`');
    assertThat(d.instructions().get(1).json()).contains(List.of("x"));
  }

  @Test
  void execFormIsJsonAndShellFormOtherwise() {
    Dockerfile d = parse("FROM a\nCMD [\"node\", \"index.js\"]\nENTRYPOINT node index.js\nRUN [ broken\n"
        + "HEALTHCHECK --interval=5s CMD [\"curl\", \"-f\", \"http://localhost\"]\nCOPY [\"a b\", \"/c\"]\n");
    List<Instruction> in = d.instructions();
    assertThat(in.get(1).json()).contains(List.of("node", "index.js"));
    assertThat(in.get(2).json()).isEmpty();
    assertThat(in.get(2).args()).isEqualTo("node index.js");
    assertThat(in.get(3).json()).as("not valid JSON: shell form, as BuildKit reads it").isEmpty();
    assertThat(in.get(4).flag("interval")).contains("5s");
    assertThat(in.get(4).json()).contains(List.of("curl", "-f", "http://localhost"));
    assertThat(in.get(5).json()).contains(List.of("a b", "/c"));
    assertThatThrownBy(() -> parse("FROM a\nCMD [\"a\", 1]\n"))
        .hasMessage("app/Dockerfile:2: when using JSON array syntax, arrays must be comprised of strings only: "
            + "[\"a\", 1]");
  }

  @Test
  void flagsAreSplitOffWithQuotedValuesAndBareFlags() {
    Instruction c = parse("COPY --chown=\"app user\":app --link --chmod=755 -- --odd-name /x\n").instructions().get(0);
    assertThat(c.flags()).containsExactly(new Flag("chown", "app user:app"), new Flag("link", null),
        new Flag("chmod", "755"));
    assertThat(c.args()).isEqualTo("--odd-name /x");
    assertThat(c.flag("link")).contains("true");
    assertThat(c.flag("from")).isEmpty();
    assertThat(c.words()).containsExactly("--odd-name", "/x");
  }

  @Test
  void heredocsAreRefusedAtTheirLineBeforeTheirBodyIsMisread() {
    assertThatThrownBy(() -> parse("FROM a\nCOPY <<EOF /etc/motd\nhello\nEOF\n"))
        .isInstanceOf(DockerfileException.class)
        .hasMessage("app/Dockerfile:2: heredocs (<<EOF) are not supported by graft: put the text in a file of the app "
            + "directory and COPY that file");
    assertThatThrownBy(() -> parse("FROM a\nRUN <<-\"SCRIPT\" bash\n\techo\n\tSCRIPT\n"))
        .hasMessageStartingWith("app/Dockerfile:2: heredocs (<<-\"SCRIPT\")");
    assertThat(parse("FROM a\nRUN [\"sh\", \"-c\", \"cat <<EOF\"]\n").instructions()).hasSize(2);
    assertThat(parse("FROM a\nRUN echo a<<b\n").instructions()).as("not a word starting with <<").hasSize(2);
  }

  @Test
  void unknownInstructionsAndEmptyFilesAreErrors() {
    assertThatThrownBy(() -> parse("FROM a\nCOPPY x /\n")).hasMessageStartingWith("app/Dockerfile:2: unknown instruction: "
        + "COPPY");
    assertThatThrownBy(() -> parse("# only a comment\n\n")).hasMessage("app/Dockerfile: the file has no instructions");
  }

  @Test
  void instructionTextIsShownAsWritten() {
    Instruction i = parse("COPY --chmod=755 run.sh /\n").instructions().get(0);
    assertThat(i.text()).isEqualTo("COPY --chmod=755 run.sh /");
    assertThat(i.json()).isEqualTo(Optional.empty());
  }
}
