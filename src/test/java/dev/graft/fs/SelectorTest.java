package dev.graft.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.layer.EntryType;
import dev.graft.layer.LayerEntry;
import dev.graft.testing.TestTars;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelectorTest {
  @TempDir Path tmp;

  private static FileTree builder() throws Exception {
    return Trees.of(TestTars.create()
        .dir("usr").dir("usr/lib").dir("usr/local").dir("usr/local/bin").dir("usr/local/lib")
        .file("usr/lib/libstdc++.so.6.0.30", "libstdc++")
        .symlink("usr/lib/libstdc++.so.6", "libstdc++.so.6.0.30")
        .file("usr/lib/libgcc_s.so.1", "gcc")
        .file("usr/local/bin/node", "node", 0755, 0, 0)
        .symlink("usr/local/bin/npm", "../lib/node_modules/npm/bin/npm-cli.js")
        .dir("usr/local/lib/node_modules").dir("usr/local/lib/node_modules/npm")
        .dir("usr/local/lib/node_modules/npm/bin")
        .file("usr/local/lib/node_modules/npm/bin/npm-cli.js", "cli")
        .file("usr/local/lib/node_modules/npm/README.md", "readme")
        .dir("lib").file("lib/ld-musl-x86_64.so.1", "ld", 0755, 0, 0)
        .symlink("lib/libc.musl-x86_64.so.1", "/lib/ld-musl-x86_64.so.1")
        .dir("build").dir("build/app").dir("build/app/node_modules", 0700, 1000, 1000)
        .file("build/app/node_modules/x.js", "x", 0644, 1000, 1000));
  }

  private static List<String> paths(List<SelectedEntry> s) {
    return s.stream().map(x -> x.source().path() + (x.source().path().equals(x.destination()) ? "" : " => " + x.destination())).toList();
  }

  @Test
  void globSelectsLibraryAndItsSymlink() throws Exception {
    assertThat(paths(Selector.select(builder(), Selection.of("/usr/lib/libstdc++.so.6*"), "builder")))
        .containsExactly("/usr/lib/libstdc++.so.6", "/usr/lib/libstdc++.so.6.0.30");
  }

  @Test
  void aSymlinkIsTakenAsALinkNotItsTarget() throws Exception {
    assertThat(paths(Selector.select(builder(), Selection.of("/usr/lib/libstdc++.so.6"), "builder")))
        .containsExactly("/usr/lib/libstdc++.so.6");
    assertThat(paths(Selector.select(builder(), Selection.of("/lib/libc.musl-x86_64.so.1"), "builder")))
        .containsExactly("/lib/libc.musl-x86_64.so.1");
    assertThat(paths(Selector.select(builder(), Selection.of("/usr/local/bin/npm"), "builder")))
        .containsExactly("/usr/local/bin/npm");
  }

  @Test
  void aSelectionBringsNothingFromOutsideWhatItNames() throws Exception {
    FileTree planted = Trees.of(TestTars.create().dir("etc").file("etc/passwd", "root:x:0:0")
        .dir("app").file("app/index.js", "js").symlink("app/link", "../../../../etc").symlink("app/abs", "/etc")
        .symlink("app/up", "..").symlink("app/self", "/app"));
    assertThat(paths(Selector.select(planted, Selection.of("/app"), "builder"))).containsExactly(
        "/app", "/app/abs", "/app/index.js", "/app/link", "/app/self", "/app/up");
    assertThat(paths(Selector.select(planted, Selection.of("/app/**"), "builder"))).containsExactly(
        "/app/abs", "/app/index.js", "/app/link", "/app/self", "/app/up");
  }

  @Test
  void aNamedPathThroughALinkIsReadWhereItLeadsAndPlacedWhereItIsNamed() throws Exception {
    FileTree tree = Trees.of(TestTars.create().dir("etc").file("etc/passwd", "root:x:0:0").dir("app")
        .symlink("app/conf", "/etc"));
    assertThat(paths(Selector.select(tree, Selection.of("/app/conf/passwd"), "builder")))
        .containsExactly("/etc/passwd => /app/conf/passwd");
  }

  @Test
  void doubleStarSelectsEverythingBelowAndExcludesDrop() throws Exception {
    Selection s = Selection.of("/usr/local/lib/node_modules/**").excluding("**/*.md");
    assertThat(paths(Selector.select(builder(), s, "builder"))).containsExactly(
        "/usr/local/lib/node_modules/npm", "/usr/local/lib/node_modules/npm/bin",
        "/usr/local/lib/node_modules/npm/bin/npm-cli.js");
  }

  @Test
  void relocatesFromTo() throws Exception {
    assertThat(paths(Selector.select(builder(), Selection.relocate("/build/app/node_modules", "/app/node_modules"),
        "builder"))).containsExactly(
            "/build/app/node_modules => /app/node_modules",
            "/build/app/node_modules/x.js => /app/node_modules/x.js");
  }

  @Test
  void missingPathNamesClosestExistingOnes() {
    assertThatThrownBy(() -> Selector.select(builder(), Selection.of("/usr/lib/libstdc++.so.7"), "node:20-alpine"))
        .isInstanceOf(PathNotFoundException.class)
        .hasMessageStartingWith("node:20-alpine has no /usr/lib/libstdc++.so.7; closest existing: /usr/lib/libstdc++.so.6");
  }

  @Test
  void globMatchingNothingIsAnError() {
    assertThatThrownBy(() -> Selector.select(builder(), Selection.of("/opt/**"), "b"))
        .isInstanceOf(PathNotFoundException.class).hasMessageContaining("/opt/**");
  }

  @Test
  void graftOntoMergedUsrBasePlacesThroughBaseSymlinksAndKeepsBaseDirectories() throws Exception {
    FileTree debianBase = Trees.of(TestTars.create()
        .dir("usr", 0755, 0, 0).dir("usr/lib", 0755, 0, 0).symlink("lib", "usr/lib").dir("opt", 0711, 0, 0));
    FileTree source = Trees.of(TestTars.create()
        .dir("lib", 0700, 0, 0).file("lib/ld-musl-x86_64.so.1", "ld", 0755, 0, 0)
        .dir("opt", 0777, 0, 0).dir("opt/app", 0750, 5, 5).file("opt/app/a", "a"));
    try (ContentSpool spool = new ContentSpool(source, tmp)) {
      List<LayerEntry> entries = CopiedEntries.entries(source,
          Selection.of("/lib/ld-musl-x86_64.so.1", "/opt/app"), "builder", debianBase, spool);
      assertThat(entries.stream().map(e -> e.path() + " " + e.metadata().type() + " " + Integer.toOctalString(e.metadata().mode())))
          .containsExactly("/opt/app DIR 750", "/opt/app/a FILE 644", "/usr/lib/ld-musl-x86_64.so.1 FILE 755");
      LayerEntry ld = entries.get(2);
      assertThat(new String(ld.content().open().readAllBytes())).isEqualTo("ld");
    }
  }

  @Test
  void refusesToReplaceBaseDirectoryWithSymlink() throws Exception {
    FileTree alpineLikeBase = Trees.of(TestTars.create().dir("lib").file("lib/ld-musl-x86_64.so.1", "ld"));
    FileTree debianLikeSource = Trees.of(TestTars.create().dir("usr").dir("usr/lib").symlink("lib", "usr/lib"));
    try (ContentSpool spool = new ContentSpool(debianLikeSource, tmp)) {
      assertThatThrownBy(() -> CopiedEntries.entries(debianLikeSource, Selection.of("/lib"), "b", alpineLikeBase, spool))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("refusing to replace the base image's directory /lib with a symlink");
    }
  }

  @Test
  void withoutBaseMissingParentsAreAddedFromSource() throws Exception {
    FileTree source = builder();
    try (ContentSpool spool = new ContentSpool(source, tmp)) {
      List<LayerEntry> entries = CopiedEntries.entries(source, Selection.relocate("/build/app/node_modules", "/app/node_modules"),
          "b", null, spool);
      assertThat(entries.stream().map(e -> e.path() + " " + Integer.toOctalString(e.metadata().mode()) + " " + e.metadata().uid()))
          .containsExactly("/app 755 0", "/app/node_modules 700 1000", "/app/node_modules/x.js 644 1000");
      assertThat(entries.get(0).metadata().type()).isEqualTo(EntryType.DIR);
    }
  }
}
