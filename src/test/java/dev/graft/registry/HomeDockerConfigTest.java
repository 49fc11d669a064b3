package dev.graft.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.oci.Platform;
import dev.graft.testing.AlpineImages;
import dev.graft.testing.GraftProcess;
import dev.graft.testing.RegistryExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The docker config is found where docker and skopeo find it: {@code $DOCKER_CONFIG/config.json},
 * else {@code $HOME/.docker/config.json}, never the passwd entry's home when HOME says otherwise
 * (CI containers run with their own HOME). graft runs in its own process so its environment is real.
 */
class HomeDockerConfigTest {
  @RegisterExtension
  static final RegistryExtension registry = RegistryExtension.htpasswd();

  @TempDir Path tmp;

  private String pushed() throws Exception {
    AlpineImages.Fixture alpine = AlpineImages.singlePlatformLayout(tmp.resolve("a"), "3.16", Platform.LINUX_AMD64);
    String ref = registry.get().hostPort() + "/home/alpine:1";
    GraftProcess.Result push = GraftProcess.run(Map.of(), "copy", "-q", "--creds",
        registry.get().username() + ":" + registry.get().password(), alpine.ref(), ref);
    assertThat(push.exitCode()).as(push.err()).isZero();
    return ref;
  }

  private Path configIn(Path dir) throws Exception {
    String auth = Base64.getEncoder().encodeToString((registry.get().username() + ":" + registry.get().password())
        .getBytes(StandardCharsets.UTF_8));
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("config.json"),
        "{\"auths\":{\"" + registry.get().hostPort() + "\":{\"auth\":\"" + auth + "\"}}}");
    return dir;
  }

  @Test
  void readsTheDockerConfigUnderHome() throws Exception {
    String ref = pushed();
    Path home = tmp.resolve("home");
    configIn(home.resolve(".docker"));

    GraftProcess.Result withHome = GraftProcess.run(Map.of("HOME", home.toString(), "DOCKER_CONFIG", ""),
        "inspect", ref);
    GraftProcess.Result elsewhere = GraftProcess.run(Map.of("HOME", tmp.resolve("empty").toString(),
        "DOCKER_CONFIG", ""), "inspect", ref);

    assertThat(withHome.exitCode()).as(withHome.err()).isZero();
    assertThat(withHome.out()).contains("Digest:");
    assertThat(elsewhere.exitCode()).isEqualTo(1);
    assertThat(elsewhere.err()).contains("401");
  }

  @Test
  void dockerConfigWinsOverHome() throws Exception {
    String ref = pushed();
    Path config = configIn(tmp.resolve("cfg"));

    GraftProcess.Result r = GraftProcess.run(Map.of("HOME", tmp.resolve("empty").toString(),
        "DOCKER_CONFIG", config.toString()), "inspect", ref);

    assertThat(r.exitCode()).as(r.err()).isZero();
  }
}
