package dev.graft.verify.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pairing rule over package.json values (the real packages: VersionPairsTest). */
class PlatformPairsTest {
  private static final Map<String, String> ESBUILD = Map.of("@esbuild/linux-x64", "0.28.1",
      "@esbuild/linux-arm64", "0.28.1");

  @Test
  void aPinnedPlatformPackageOfAnotherVersionIsAMismatch() {
    assertThat(PlatformPairs.check("esbuild", "0.28.1", ESBUILD, "@esbuild/linux-x64", "0.28.2")).hasValueSatisfying(m -> {
      assertThat(m).isEqualTo(new PlatformPairs.Mismatch("esbuild", "0.28.1", "@esbuild/linux-x64", "0.28.1", "0.28.2"));
      assertThat(m.enforcedAtRunTime()).isTrue();
    });
    assertThat(PlatformPairs.check("esbuild", "0.28.1", ESBUILD, "@esbuild/linux-x64", "0.28.1")).isEmpty();
    assertThat(PlatformPairs.check("esbuild", "0.28.1", ESBUILD, "@esbuild/darwin-x64", "0.1.0")).as("not declared").isEmpty();
    assertThat(PlatformPairs.check("rollup", "4.68.2", Map.of("@rollup/rollup-linux-x64-gnu", "4.68.2"),
        "@rollup/rollup-linux-x64-gnu", "4.0.0")).hasValueSatisfying(m -> assertThat(m.enforcedAtRunTime()).isFalse());
  }

  @Test
  void rangesAreReadAsNpmReadsThem() {
    assertThat(PlatformPairs.satisfies("1.2.4", "^1.2.3")).hasValue(true);
    assertThat(PlatformPairs.satisfies("2.0.0", "^1.2.3")).hasValue(false);
    assertThat(PlatformPairs.satisfies("0.2.9", "^0.2.3")).hasValue(true);
    assertThat(PlatformPairs.satisfies("0.3.0", "^0.2.3")).hasValue(false);
    assertThat(PlatformPairs.satisfies("0.0.4", "^0.0.3")).hasValue(false);
    assertThat(PlatformPairs.satisfies("1.2.9", "~1.2.3")).hasValue(true);
    assertThat(PlatformPairs.satisfies("1.3.0", "~1.2.3")).hasValue(false);
    assertThat(PlatformPairs.satisfies("1.9.0", "1.x")).hasValue(true);
    assertThat(PlatformPairs.satisfies("8.17.3", ">=8.17.3")).hasValue(true);
    assertThat(PlatformPairs.satisfies("8.16.0", ">=8.17.3")).hasValue(false);
    assertThat(PlatformPairs.satisfies("1.5.0", ">=1.2.0 <1.4.0 || 1.5.x")).hasValue(true);
    assertThat(PlatformPairs.satisfies("1.4.0", ">= 1.2.0 < 1.4.0")).hasValue(false);
    assertThat(PlatformPairs.satisfies("1.0.0-rc.1", "^1.0.0")).as("a prerelease only where named").hasValue(false);
    assertThat(PlatformPairs.satisfies("1.0.0-rc.1", "1.0.0-rc.1")).hasValue(true);
    assertThat(PlatformPairs.satisfies("1.0.0", "github:user/repo")).as("no verdict").isEmpty();
    assertThat(PlatformPairs.satisfies("1.0.0", "1.0.0 - 2.0.0")).as("hyphen ranges: no verdict").isEmpty();
  }
}
