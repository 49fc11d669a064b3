package dev.graft.assemble;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.layer.LayerEntry;
import dev.graft.oci.Platform;
import dev.graft.testing.NpmApp;
import dev.graft.testing.NpmFixtures;
import dev.graft.verify.Finding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code from: npm} source in the select phase, on the npm app fixture's real lockfile
 * (bcrypt, better-sqlite3, sharp, esbuild…): {@code libc: auto} is the libc of the node an earlier
 * layer grafts (npm's own node 22 for linux-x64, glibc; Alpine's musl busybox standing in for a
 * musl node), and the layout keeps that libc's prebuilds only.
 */
class FromNpmTest {
  @TempDir
  static Path images;

  private static final String DEPS = """
      - name: deps
        from: npm
        lockfile: ./app/package-lock.json
        to: /app
      """;

  private static SelectedLayer deps(Path tmp, String nodeLayer, RecordingListener[] heard) throws Exception {
    Path dir = tmp.resolve("project");
    Files.createDirectories(dir.resolve("app"));
    Files.copy(NpmApp.dir().resolve("package.json"), dir.resolve("app/package.json"));
    Files.copy(NpmApp.lockfile(), dir.resolve("app/package-lock.json"));
    Files.createDirectories(dir.resolve("node22/bin"));
    Files.copy(NpmFixtures.file(NpmFixtures.NODE22_X64, "bin/node"), dir.resolve("node22/bin/node"),
        StandardCopyOption.COPY_ATTRIBUTES);
    Path cache = Files.createDirectories(tmp.resolve("cache"));
    Files.createDirectories(NpmApp.graftCache().resolve("npm"));
    Files.createSymbolicLink(cache.resolve("npm"), NpmApp.graftCache().resolve("npm")); // tarballs shared by tests
    try (PhaseFixture f = PhaseFixture.of(images, dir, cache, Platform.LINUX_AMD64, nodeLayer + DEPS,
        "entrypoint: [node, /app/main.js]")) {
      List<SelectedLayer> selected = f.select(f.sources(f.resolve()), f.writes());
      heard[0] = f.listener;
      return selected.get(selected.size() - 1);
    }
  }

  private static List<String> bcryptBuilds(SelectedLayer s) {
    return s.entries().stream().map(LayerEntry::path).filter(p -> p.startsWith("/app/node_modules/bcrypt/prebuilds/")
        && p.endsWith(".node")).toList();
  }

  @Test
  void libcAutoIsTheLibcOfTheNodeAnEarlierLayerGrafts(@TempDir Path tmp) throws Exception {
    RecordingListener[] heard = new RecordingListener[1];
    SelectedLayer deps = deps(tmp, "- { name: node22, from: ./node22, paths: [bin/node], to: /usr/local }\n", heard);
    assertThat(deps.history()).isEqualTo("npm package-lock.json");
    assertThat(bcryptBuilds(deps)).containsExactly("/app/node_modules/bcrypt/prebuilds/linux-x64/bcrypt.glibc.node");
    assertThat(deps.notes()).extracting(Finding::code).contains("NPM_PACKAGES", "NPM_PRUNED");
    assertThat(heard[0].npm()).singleElement().asString().startsWith("deps GLIBC ");
    assertThat(heard[0].steps()).contains("lay out npm packages of layer 'deps' (graft.yaml:6:5)");
  }

  @Test
  void aMuslNodeGetsTheMuslBuilds(@TempDir Path tmp) throws Exception {
    RecordingListener[] heard = new RecordingListener[1];
    SelectedLayer deps = deps(tmp, "- { name: node, from: base, paths: [/bin/busybox], to: /usr/local/bin/node }\n",
        heard);
    assertThat(bcryptBuilds(deps)).containsExactly("/app/node_modules/bcrypt/prebuilds/linux-x64/bcrypt.musl.node");
    assertThat(heard[0].npm()).singleElement().asString().startsWith("deps MUSL ");
  }
}
