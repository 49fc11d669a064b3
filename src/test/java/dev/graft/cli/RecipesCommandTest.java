package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecipesCommandTest {
  @TempDir Path dir;

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void listsEveryBuiltInWithItsDescription() {
    Result r = run("recipes");
    assertThat(r.code()).isZero();
    assertThat(r.out().lines().toList()).containsExactly(
        "node-runtime          The node binary from the builder with its shared-library closure; npm, corepack and "
            + "yarn optional.",
        "node-runtime-minimal  Only the node binary from the builder and its shared-library closure.",
        "ca-certificates       The CA certificate bundle from the builder (/etc/ssl/certs/ca-certificates.crt).",
        "tzdata                The time-zone database from the builder (/usr/share/zoneinfo).");
  }

  @Test
  void listsAsJsonWithParameters() throws Exception {
    Result r = run("recipes", "--json");
    JsonNode list = new ObjectMapper().readTree(r.out());
    assertThat(list).hasSize(4);
    assertThat(list.get(0).get("name").asText()).isEqualTo("node-runtime");
    assertThat(list.get(0).get("params").get(0).get("name").asText()).isEqualTo("npm");
    assertThat(list.get(0).get("params").get(0).get("default").asBoolean()).isFalse();
  }

  @Test
  void showPrintsTheShippedYaml() throws Exception {
    Result r = run("recipes", "show", "node-runtime");
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo(Files.readString(Path.of("layers/node-runtime.yaml")));
  }

  @Test
  void showOfUnknownRecipeIsAOneLineUserError() {
    Result r = run("recipes", "show", "node-runtme");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("graft: error: unknown recipe 'node-runtme'; built-in recipes: node-runtime, "
        + "node-runtime-minimal, ca-certificates, tzdata");
    assertThat(r.err()).as("the hint names the subcommand's own help").contains("see 'graft recipes show --help'")
        .doesNotContain("'graft show");
  }

  @Test
  void showChecksAUserRecipeFileAndNamesItsErrors() throws Exception {
    Path f = dir.resolve("mine.yaml");
    Files.writeString(f, "name: mine\ndescription: d\nlayers:\n  - name: mine\n    form: builder\n");
    Result r = run("recipes", "show", f.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains(f + ":5:5: unknown key 'form' in layers[0] (did you mean 'from'?)");
  }
}
