package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.assemble.BuildResult;
import dev.graft.oci.Digest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Under GitHub Actions, later workflow steps read graft's result from $GITHUB_OUTPUT. */
class GithubOutputTest {
  static final Digest INDEX = Digest.parse("sha256:" + "1".repeat(64));

  static BuildResult result(String ref, List<String> tags) {
    return new BuildResult(List.of(), Optional.of(INDEX), List.of(new BuildResult.TargetResult(ref, INDEX, tags)),
        new BuildResult.Transfer(0, 0, 0, 0, 0, 0));
  }

  @Test
  void appendsDigestImageAndTagsToTheFileGithubNames(@TempDir Path tmp) throws Exception {
    Path file = Files.writeString(tmp.resolve("out"), "earlier=step\n");
    BuildCommand.githubOutput(Map.of("GITHUB_OUTPUT", file.toString()),
        result("ghcr.io/acme/app:1.2.3", List.of("1.2.3", "latest")));
    assertThat(Files.readString(file)).isEqualTo("earlier=step\ndigest=" + INDEX
        + "\nimage=ghcr.io/acme/app\ntags=1.2.3,latest\nimages<<GRAFT_IMAGES_1111111111111111\nghcr.io/acme/app@" + INDEX
        + "\nGRAFT_IMAGES_1111111111111111\n");
  }

  @Test
  void anAppsPerArchImagesAndIndexAreAllListedForSigning(@TempDir Path tmp) throws Exception {
    Digest amd = Digest.parse("sha256:" + "a".repeat(64));
    Digest arm = Digest.parse("sha256:" + "b".repeat(64));
    BuildResult r = new BuildResult(List.of(), Optional.of(INDEX), List.of(
        new BuildResult.TargetResult("ghcr.io/acme/amd64-app:1.3.1", amd, List.of("1.3.1")),
        new BuildResult.TargetResult("ghcr.io/acme/aarch64-app:1.3.1", arm, List.of("1.3.1")),
        new BuildResult.TargetResult("ghcr.io/acme/app:1.3.1", INDEX, List.of("1.3.1"))),
        new BuildResult.Transfer(0, 0, 0, 0, 0, 0));
    Path file = tmp.resolve("out");
    BuildCommand.githubOutput(Map.of("GITHUB_OUTPUT", file.toString()), r);
    assertThat(Files.readString(file)).isEqualTo("digest=" + INDEX + "\nimage=ghcr.io/acme/app\ntags=1.3.1\n"
        + "images<<GRAFT_IMAGES_1111111111111111\n"
        + "ghcr.io/acme/amd64-app@" + amd + "\nghcr.io/acme/aarch64-app@" + arm + "\nghcr.io/acme/app@" + INDEX + "\n"
        + "GRAFT_IMAGES_1111111111111111\n");
  }

  @Test
  void writesNothingOutsideGithubActions(@TempDir Path tmp) throws Exception {
    BuildCommand.githubOutput(Map.of(), result("ghcr.io/acme/app:1", List.of("1")));
    try (var s = Files.list(tmp)) {
      assertThat(s).isEmpty();
    }
  }
}
