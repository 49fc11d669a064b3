package dev.graft.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hostile oci-archive cannot write outside the private directory it is unpacked into. */
class OciArchiveSourceTest {

  @Test
  void refusesEntryEscapingRoot(@TempDir Path tmp) throws IOException {
    Path tar = tmp.resolve("evil.tar");
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(tar))) {
      file(out, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
      file(out, "../../escaped.txt", "gotcha");
    }
    assertThatThrownBy(() -> OciArchiveSource.open(new ImageRef.OciArchive(tar, null)))
        .isInstanceOf(OciFormatException.class)
        .hasMessageContaining("'../../escaped.txt' escapes the archive root");
    assertThat(tmp.resolve("escaped.txt")).doesNotExist();
    assertThat(Path.of(System.getProperty("java.io.tmpdir")).getParent().resolve("escaped.txt")).doesNotExist();
  }

  @Test
  void refusesAbsoluteEntryNames(@TempDir Path tmp) throws IOException {
    Path tar = tmp.resolve("evil.tar");
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(tar))) {
      TarArchiveEntry e = new TarArchiveEntry("placeholder");
      e.setName("/tmp/graft-absolute-entry.txt");
      e.setSize(1);
      out.putArchiveEntry(e);
      out.write('x');
      out.closeArchiveEntry();
    }
    assertThatThrownBy(() -> OciArchiveSource.open(new ImageRef.OciArchive(tar, null)))
        .isInstanceOf(OciFormatException.class);
    assertThat(Path.of("/tmp/graft-absolute-entry.txt")).doesNotExist();
  }

  @Test
  void refusesSymlinkEntries(@TempDir Path tmp) throws IOException {
    Path tar = tmp.resolve("evil.tar");
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(tar))) {
      TarArchiveEntry link = new TarArchiveEntry("blobs", TarArchiveEntry.LF_SYMLINK);
      link.setLinkName("/etc");
      out.putArchiveEntry(link);
      out.closeArchiveEntry();
    }
    assertThatThrownBy(() -> OciArchiveSource.open(new ImageRef.OciArchive(tar, null)))
        .isInstanceOf(OciFormatException.class)
        .hasMessageContaining("'blobs' is a link or special file");
  }

  @Test
  void refusesDuplicateEntries(@TempDir Path tmp) throws IOException {
    Path tar = tmp.resolve("dup.tar");
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(tar))) {
      file(out, "index.json", "{}");
      file(out, "./index.json", "{}");
    }
    assertThatThrownBy(() -> OciArchiveSource.open(new ImageRef.OciArchive(tar, null)))
        .hasMessageContaining("holds './index.json' twice");
  }

  @Test
  void refusesAFileThatIsNotATar(@TempDir Path tmp) throws IOException {
    Path notTar = Files.writeString(tmp.resolve("x.tar"), "this is not a tar archive, just text");
    assertThatThrownBy(() -> OciArchiveSource.open(new ImageRef.OciArchive(notTar, null)))
        .hasMessageContaining("oci-archive:" + notTar);
  }

  @Test
  void namesAMissingArchive(@TempDir Path tmp) {
    assertThatThrownBy(() -> OciArchiveSource.open(new ImageRef.OciArchive(tmp.resolve("nope.tar"), "v1")))
        .hasMessageContaining("oci-archive:" + tmp.resolve("nope.tar") + ":v1: no such file");
  }

  @Test
  void refusesADockerArchiveLinkLeavingTheArchive(@TempDir Path tmp) throws IOException {
    Path tar = tmp.resolve("evil-docker.tar");
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(tar))) {
      file(out, "manifest.json", "[{\"Config\":\"c.json\",\"RepoTags\":[],\"Layers\":[\"l/layer.tar\"]}]");
      TarArchiveEntry link = new TarArchiveEntry("l/layer.tar", TarArchiveEntry.LF_SYMLINK);
      link.setLinkName("../../../etc/passwd");
      out.putArchiveEntry(link);
      out.closeArchiveEntry();
    }
    assertThatThrownBy(() -> DockerArchiveSource.open(new ImageRef.DockerArchive(tar, null)))
        .isInstanceOf(OciFormatException.class)
        .hasMessageContaining("'l/layer.tar' links outside the archive");
  }

  @Test
  void refusesADockerArchiveLinkToAMissingEntry(@TempDir Path tmp) throws IOException {
    Path tar = tmp.resolve("dangling.tar");
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(tar))) {
      TarArchiveEntry link = new TarArchiveEntry("l/layer.tar", TarArchiveEntry.LF_SYMLINK);
      link.setLinkName("../other.tar");
      out.putArchiveEntry(link);
      out.closeArchiveEntry();
    }
    assertThatThrownBy(() -> DockerArchiveSource.open(new ImageRef.DockerArchive(tar, null)))
        .hasMessageContaining("links to 'other.tar', which is not a regular file in the archive");
  }

  private static void file(TarArchiveOutputStream out, String name, String content) throws IOException {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(bytes.length);
    out.putArchiveEntry(e);
    out.write(bytes);
    out.closeArchiveEntry();
  }

}
