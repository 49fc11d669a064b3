package dev.graft.assemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.config.ClosureConflicts;
import dev.graft.config.ClosureMode;
import dev.graft.config.LayerSource;
import dev.graft.config.LayerSpec;
import dev.graft.config.SourcePos;
import dev.graft.fs.FileTree;
import dev.graft.layer.EntryType;
import dev.graft.layer.HostFileHashes;
import dev.graft.layer.LayerEntry;
import dev.graft.oci.ImageRef;
import dev.graft.oci.Manifest;
import dev.graft.oci.OciLayoutSource;
import dev.graft.oci.Platform;
import dev.graft.testing.AlpineImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Dockerfile COPY's placement, --chmod and --chown, on a real Alpine base (its /etc/passwd and /etc/group). */
class CopyModesTest {
  @TempDir static Path tmp;
  static FileTree alpine;

  @BeforeAll
  static void base() throws Exception {
    AlpineImages.Fixture f = AlpineImages.singlePlatformLayout(tmp.resolve("alpine"), "3.18", Platform.LINUX_AMD64);
    OciLayoutSource s = OciLayoutSource.open(new ImageRef.OciLayout(f.dir(), f.tag()));
    Manifest m = f.manifest(Platform.LINUX_AMD64);
    alpine = FileTree.read(s, m, f.config(Platform.LINUX_AMD64).diffIds());
  }

  static LayerSpec copy(Path source, String to, Optional<String> chmod, Optional<String> chown) {
    return new LayerSpec("copy", new LayerSource.Directory(source, chmod, chown), List.of(), List.of(), Optional.of(to),
        ClosureMode.OFF, ClosureConflicts.COMPATIBLE, dev.graft.config.SpecialFiles.REFUSE, Optional.empty(), Optional.empty(),
        SourcePos.line("Dockerfile", 3),
        dev.graft.config.Prune.OFF);
  }

  static List<LayerEntry> place(LayerSpec spec) throws Exception {
    Path dir = ((LayerSource.Directory) spec.source()).dir();
    return FromDirectory.placeLocal(spec, dir, FromDirectory.walk(spec, dir, HostFileHashes.none()), alpine);
  }

  static Map<String, LayerEntry> byPath(List<LayerEntry> entries) {
    return entries.stream().collect(java.util.stream.Collectors.toMap(LayerEntry::path, e -> e));
  }

  @Test
  void aFileCopiedToADirectoryOfTheBaseGoesIntoItAndOtherwiseTakesTheNameGiven() throws Exception {
    Path run = Files.writeString(tmp.resolve("run.sh"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-x---"));
    assertThat(place(copy(run, "/usr/bin", Optional.empty(), Optional.empty()))).singleElement()
        .satisfies(e -> {
          assertThat(e.path()).isEqualTo("/usr/bin/run.sh");
          assertThat(e.metadata().mode()).as("executable by its owner: 0755, whatever the umask").isEqualTo(0755);
          assertThat(e.metadata().uid()).isZero();
        });
    assertThat(place(copy(run, "/usr/bin/run-app", Optional.empty(), Optional.empty()))).extracting(LayerEntry::path)
        .containsExactly("/usr/bin/run-app");
    assertThat(place(copy(run, "/opt/tools/", Optional.empty(), Optional.empty()))).extracting(LayerEntry::path)
        .contains("/opt/tools/run.sh");
  }

  @Test
  void chownNamesAreLookedUpInTheBaseImageAndChmodAppliesToFilesAndDirectories() throws Exception {
    Path rootfs = tmp.resolve("rootfs");
    Files.createDirectories(rootfs.resolve("etc/app"));
    Files.writeString(rootfs.resolve("etc/app/config"), "x");
    Files.createSymbolicLink(rootfs.resolve("etc/app/link"), Path.of("config"));
    Map<String, LayerEntry> e = byPath(place(copy(rootfs, "/srv", Optional.of("u=rwX,go=rX"), Optional.of("nobody:wheel"))));
    assertThat(e.get("/srv/etc/app/config").metadata().mode()).isEqualTo(0644);
    assertThat(e.get("/srv/etc/app").metadata().mode()).isEqualTo(0755);
    assertThat(e.get("/srv/etc/app/config").metadata().uid()).isEqualTo(65534);
    assertThat(e.get("/srv/etc/app/config").metadata().gid()).isEqualTo(10);
    assertThat(e.get("/srv/etc/app/link").metadata().type()).isEqualTo(EntryType.SYMLINK);
    assertThat(e.get("/srv/etc/app/link").metadata().mode()).isEqualTo(0777);
    Map<String, LayerEntry> numeric = byPath(place(copy(rootfs, "/srv", Optional.of("600"), Optional.of("1000"))));
    assertThat(numeric.get("/srv/etc/app/config").metadata().mode()).isEqualTo(0600);
    assertThat(numeric.get("/srv/etc/app/config").metadata().gid()).as("no group: the uid, as Docker documents").isEqualTo(1000);
    assertThatThrownBy(() -> place(copy(rootfs, "/srv", Optional.empty(), Optional.of("app"))))
        .hasMessage("--chown: no user 'app' in the base image's /etc/passwd (use a number, or a base that has the user)");
  }

  @Test
  void symbolicModesFollowChmod() {
    dev.graft.layer.ContentSource empty = new dev.graft.layer.ContentSource() {
      @Override
      public java.io.InputStream open() {
        return java.io.InputStream.nullInputStream();
      }

      @Override
      public String identity() {
        return "empty";
      }
    };
    LayerEntry file = LayerEntry.file("/a", 0644, 0, 0, 0, empty);
    LayerEntry dir = LayerEntry.directory("/d", 0700, 0, 0);
    assertThat(CopyModes.mode("u+x", file)).isEqualTo(0744);
    assertThat(CopyModes.mode("a+X", file)).as("X: only directories and already executable files").isEqualTo(0644);
    assertThat(CopyModes.mode("go+X", dir)).isEqualTo(0711);
    assertThat(CopyModes.mode("o-r,g=w", file)).isEqualTo(0620);
    assertThat(CopyModes.mode("+x", file)).isEqualTo(0755);
    assertThat(CopyModes.mode("0755", file)).isEqualTo(0755);
  }
}
