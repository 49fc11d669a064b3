package dev.graft.assemble;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.layer.SharedCache;
import dev.graft.oci.Platform;
import dev.graft.verify.Finding;
import dev.graft.verify.Report;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Phase "verify" on real images: Alpine 3.18's apk grafted with its libraries onto Alpine 3.16 runs
 * there, a missing entrypoint is an error, what selection decided joins the verdict, and a rebuild
 * that changed nothing verification asked about reuses the report.
 */
class VerifyImageTest {
  @TempDir
  static Path images;

  private static final String APK = "- { name: apk, from: builder, paths: [/sbin/apk], conflicts: builder }\n";

  private static Report verify(Path tmp, String entrypoint, RecordingListener[] heard) throws Exception {
    try (PhaseFixture f = PhaseFixture.of(images, tmp.resolve("project"), tmp.resolve("cache"), Platform.LINUX_AMD64,
        APK, "entrypoint: [" + entrypoint + "]")) {
      ResolvedSources sources = f.resolve();
      WriteLayers writes = f.writes();
      List<SelectedLayer> selected = f.select(f.sources(sources), writes);
      writes.finish(selected); // the writers report on their own threads: done before the listener is cleared
      sources.baseTree().get(); // read before this phase, as PlatformBuild does
      f.listener.clear();
      Report report = new VerifyImage(f.pp, sources, f.plan.epoch(), Files.createDirectories(tmp.resolve("spool")),
          f.cacheDir, SharedCache.NONE, f.elfs, f.steps).run(selected);
      heard[0] = f.listener;
      return report;
    }
  }

  @Test
  void theGraftedProgramRunsOnTheBaseAndWhatSelectionDecidedJoinsTheVerdict(@TempDir Path tmp) throws Exception {
    RecordingListener[] heard = new RecordingListener[1];
    Report report = verify(tmp, "/sbin/apk", heard);
    assertThat(report.subject()).isEqualTo("linux/amd64");
    assertThat(report.hasErrors()).as(report.render()).isFalse();
    // Alpine 3.18's musl differs from 3.16's: closure: auto said what it did about it
    assertThat(report.findings()).extracting(Finding::code).anyMatch(c -> c.startsWith("CLOSURE_"));
    assertThat(heard[0].steps()).containsExactly("verify");

    // the same image again: nothing verification asked about changed, so its report is reused
    Report again = verify(tmp, "/sbin/apk", heard);
    assertThat(again.findings()).isEqualTo(report.findings());
    assertThat(heard[0].steps()).containsExactly("verify", "verify: reusing the report of an earlier build");
  }

  @Test
  void aMissingEntrypointIsAnError(@TempDir Path tmp) throws Exception {
    Report report = verify(tmp, "/app/missing", new RecordingListener[1]);
    assertThat(report.hasErrors()).isTrue();
    assertThat(report.findings()).extracting(Finding::code).contains("ENTRYPOINT_MISSING");
  }
}
