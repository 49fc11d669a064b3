package dev.graft.layer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TarPathsTest {
  @Test
  void cleanKeepsCleanPathsAndNormalisesTheRest() {
    for (String p : new String[] {"/", "/a", "/usr/lib/x.so.1", "/a/.b/..c/...", "/a b/c"}) {
      assertThat(TarPaths.clean(p)).isSameAs(p);
    }
    assertThat(TarPaths.clean("")).isEqualTo("/");
    assertThat(TarPaths.clean("a/b")).isEqualTo("/a/b");
    assertThat(TarPaths.clean("/a/")).isEqualTo("/a");
    assertThat(TarPaths.clean("//a//b")).isEqualTo("/a/b");
    assertThat(TarPaths.clean("/a/./b/.")).isEqualTo("/a/b");
    assertThat(TarPaths.clean("/a/../../b/..")).isEqualTo("/");
    assertThat(TarPaths.clean("/a/b/..")).isEqualTo("/a");
  }
}
