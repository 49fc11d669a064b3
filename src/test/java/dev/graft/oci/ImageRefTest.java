package dev.graft.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ImageRefTest {

  @Test
  void normalisesDockerHubShortNamesLikeDocker() {
    assertThat(ImageRef.parse("node:18-alpine")).isEqualTo(new ImageRef.Registry("docker.io", "library/node", "18-alpine", null));
    assertThat(ImageRef.parse("node")).hasToString("docker.io/library/node:latest");
    assertThat(ImageRef.parse("homeassistant/amd64-base:3.18")).hasToString("docker.io/homeassistant/amd64-base:3.18");
    assertThat(ImageRef.parse("index.docker.io/library/node:18")).hasToString("docker.io/library/node:18");
    assertThat(ImageRef.parse("docker://alpine:3.18")).hasToString("docker.io/library/alpine:3.18");
  }

  @Test
  void readsRegistryHostsPortsAndDigests() {
    String hex = "a".repeat(64);
    ImageRef.Registry r = (ImageRef.Registry) ImageRef.parse("localhost:5000/team/app@sha256:" + hex);
    assertThat(r.registry()).isEqualTo("localhost:5000");
    assertThat(r.repository()).isEqualTo("team/app");
    assertThat(r.tag()).isNull();
    assertThat(r.reference()).isEqualTo("sha256:" + hex);
    ImageRef.Registry g = (ImageRef.Registry) ImageRef.parse("ghcr.io/org/app:v1.2");
    assertThat(g.registry()).isEqualTo("ghcr.io");
    assertThat(g.reference()).isEqualTo("v1.2");
    ImageRef.Registry both = (ImageRef.Registry) ImageRef.parse("node:18@sha256:" + hex);
    assertThat(both.tag()).isEqualTo("18");
    assertThat(both.digest()).isEqualTo(new Digest("sha256", hex));
    assertThat(ImageRef.parse("127.0.0.1:5000/app")).hasToString("127.0.0.1:5000/app:latest");
  }

  @Test
  void readsLocalTransportsWithOptionalTags() {
    assertThat(ImageRef.parse("oci:build/out:v1")).isEqualTo(new ImageRef.OciLayout(Path.of("build/out"), "v1"));
    assertThat(ImageRef.parse("oci:build/out")).isEqualTo(new ImageRef.OciLayout(Path.of("build/out"), null));
    assertThat(ImageRef.parse("oci-archive:/tmp/a.tar:latest")).isEqualTo(new ImageRef.OciArchive(Path.of("/tmp/a.tar"), "latest"));
    assertThat(ImageRef.parse("docker-archive:app.tar:app:1.0")).isEqualTo(new ImageRef.DockerArchive(Path.of("app.tar"), "app:1.0"));
    assertThat(ImageRef.parse("docker-archive:app.tar")).isEqualTo(new ImageRef.DockerArchive(Path.of("app.tar"), null));
  }

  @Test
  void refusesUnknownAndUnsupportedTransports() {
    assertThatThrownBy(() -> ImageRef.parse("ocix:/tmp/layout"))
        .hasMessageStartingWith("unknown transport 'ocix:' in 'ocix:/tmp/layout'")
        .hasMessageContaining("oci:, oci-archive: and docker-archive:");
    assertThatThrownBy(() -> ImageRef.parse("docker-daemon:alpine:latest"))
        .hasMessageStartingWith("unsupported transport 'docker-daemon:'");
    assertThatThrownBy(() -> ImageRef.parse("dir:/tmp/x")).hasMessageStartingWith("unsupported transport 'dir:'");
  }

  @Test
  void refusesMalformedReferencesNamingTheFix() {
    assertThatThrownBy(() -> ImageRef.parse("")).hasMessage("empty image reference");
    assertThatThrownBy(() -> ImageRef.parse("Node:18")).hasMessageContaining("repository names are lower case");
    assertThatThrownBy(() -> ImageRef.parse("ghcr.io/org/app:-bad")).hasMessageContaining("bad tag '-bad'");
    assertThatThrownBy(() -> ImageRef.parse("app@sha256:1234")).hasMessageContaining("bad digest");
    assertThatThrownBy(() -> ImageRef.parse("oci:")).hasMessageContaining("names no path");
    assertThatThrownBy(() -> ImageRef.parse("./build/out")).hasMessageContaining("write oci:DIR or oci-archive:FILE");
  }

  @Test
  void printsBackWhatItParsed() {
    for (String s : new String[] {"oci:out:v1", "oci-archive:a.tar", "docker-archive:d.tar:app:1", "ghcr.io/o/a:1"}) {
      assertThat(ImageRef.parse(ImageRef.parse(s).toString())).isEqualTo(ImageRef.parse(s));
    }
  }
}
