package dev.graft.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.fs.FileTree;
import dev.graft.layer.LayerBlob;
import dev.graft.layer.LayerFormatException;
import dev.graft.oci.Blob;
import dev.graft.oci.Descriptor;
import dev.graft.oci.Digest;
import dev.graft.oci.ImageRef;
import dev.graft.oci.ImageSource;
import dev.graft.oci.Index;
import dev.graft.oci.Manifest;
import dev.graft.oci.MediaTypes;
import dev.graft.oci.Platform;
import dev.graft.testing.AlpineImages;
import dev.graft.testing.AlpineImages.Fixture;
import dev.graft.testing.GraftProcess;
import dev.graft.testing.HostileImages;
import dev.graft.testing.OciLayouts;
import dev.graft.testing.TestTars;
import dev.graft.testing.Tools;
import dev.graft.transfer.Images;
import dev.graft.transfer.TransferOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile-input corpus in one place: every kind of input a stranger's base image, a broken
 * registry or a careless graft.yaml can hand graft, and the test that shows it refused with a
 * clear message (nothing written outside the target, memory bounded). Items other packages already
 * cover point at their tests (checked to exist, so this index cannot rot); the rest are tested here.
 * The inputs are made by code, reviewable and reproducible, not opaque binaries: the tests'
 * makers (TestTars, ElfPatch, AlpineImages…) and, made without graft's writer (Python's tarfile,
 * JSON by hand), testdata/hostile/make-hostile.py and make-many-entries.py, whose images are
 * mapped here command by command ({@link #BY_COMMAND}: ls, extract, verify, copy, build as base,
 * build as builder); see testdata/hostile/README.md.
 */
class HostileCorpusTest {
  /** Corpus item → the test that refuses it ("Class#method", test classes under dev.graft). */
  static final Map<String, String> CORPUS = new TreeMap<>(Map.ofEntries(
      Map.entry("tar entry with ../", "fs.HostileLayerTest#refusesEntryEscapingRootWithDotDot"),
      Map.entry("tar entry with an absolute name", "fs.HostileLayerTest#refusesAbsoluteEntryName"),
      Map.entry("hardlink escaping the root", "fs.HostileLayerTest#refusesHardlinkOutsideRoot"),
      Map.entry("symlink escaping the root (extract)", "cli.LsExtractCommandTest#refusesSymlinkThatEscapesTheDirectory"),
      Map.entry("symlink planted in the target dir", "cli.LsExtractCommandTest#neverWritesThroughASymlinkPlantedInTheTargetDirectory"),
      Map.entry("device nodes", "reliability.HostileCorpusTest#deviceNodesAreNeverCreatedOnExtract"),
      Map.entry("duplicate paths", "reliability.HostileCorpusTest#duplicatePathsResolveToTheLastLikeTarDoes"),
      Map.entry("giant declared size", "fs.HostileLayerTest#refusesGiantDeclaredSize"),
      Map.entry("decompression bomb", "reliability.HostileCorpusTest#refusesADecompressionBombWithoutExpandingIt"),
      Map.entry("decompression bomb, bounded memory", "reliability.HostileCorpusTest#aBombIsRefusedInASmallHeap"),
      Map.entry("truncated tar", "fs.HostileLayerTest#refusesTarTruncatedInsideEntry"),
      Map.entry("truncated gzip", "fs.HostileLayerTest#refusesTruncatedGzipStream"),
      Map.entry("truncated zstd", "fs.HostileLayerTest#refusesTruncatedZstdStream"),
      Map.entry("corrupt tar header checksum", "fs.HostileLayerTest#refusesCorruptHeaderChecksum"),
      Map.entry("wrong diffIDs", "reliability.HostileCorpusTest#refusesALayerTheConfigsDiffIdDoesNotDescribe"),
      Map.entry("manifest lying about a layer size", "reliability.HostileCorpusTest#refusesAManifestThatUnderstatesALayerSize"),
      Map.entry("manifest lying about its media type", "transfer.RefusalsTest#refusesAManifestWhoseBodyDeclaresAnUnknownMediaType"),
      Map.entry("manifest of unknown media type", "registry.HostileRegistryTest#refusesAManifestOfUnknownMediaType"),
      Map.entry("manifest bytes not matching digest", "registry.HostileRegistryTest#refusesAManifestFetchedByDigestWithOtherBytes"),
      Map.entry("blob not matching digest", "transfer.RefusalsTest#refusesACorruptedLayerAndLeavesNoNewLayoutBehind"),
      Map.entry("truncated blob", "transfer.RefusalsTest#refusesATruncatedBlob"),
      Map.entry("blob symlinked outside a layout", "transfer.RefusalsTest#refusesABlobSymlinkedOutsideTheLayout"),
      Map.entry("index cycle", "reliability.HostileCorpusTest#refusesAnIndexThatNamesItself"),
      Map.entry("deeply nested indexes", "reliability.HostileCorpusTest#refusesIndexesNestedTooDeep"),
      Map.entry("over-large manifest JSON", "registry.HostileRegistryTest#refusesAManifestOverTheSizeLimit"),
      Map.entry("corrupt cache entry", "layer.LayerCacheTest#corruptBlobIsDetectedAndRebuilt"),
      Map.entry("malformed ELF: no magic", "elf.ElfHostileInputTest#refusesFileWithoutElfMagic"),
      Map.entry("malformed ELF: truncated", "elf.ElfHostileInputTest#survivesEveryTruncationWithOnlyElfFormatExceptions"),
      Map.entry("malformed ELF: huge header counts", "elf.ElfHostileInputTest#refusesHugeProgramHeaderCountWithoutAllocatingIt"),
      Map.entry("malformed ELF: random corruption", "elf.ElfHostileInputTest#survivesRandomCorruptionWithOnlyElfFormatExceptions"),
      Map.entry("malformed graft.yaml: giant/deep/aliases", "config.GraftConfigErrorsTest#hostileFilesAreRefusedWithoutExhaustingAnything"),
      Map.entry("malformed graft.yaml: non-UTF-8, several documents", "config.GraftConfigErrorsTest#nonUtf8AndMultiDocumentFilesAreRefused"),
      Map.entry("malformed graft.yaml: mutations", "config.MutatedConfigTest#everyMutationLoadsOrFailsWithPositions"),
      Map.entry("damaged cache folder", "reliability.DamagedCacheTest#everyCacheFolderReplacedByAFileIsNamedWithTheFix"),
      Map.entry("special-files (char, block, fifo): ls", "reliability.SpecialFilesTest#lsShowsThemAsTheyAre"),
      Map.entry("special-files: extract", "reliability.SpecialFilesTest#extractSkipsThemByName"),
      Map.entry("special-files: verify", "reliability.SpecialFilesTest#verifyReadsTheImageAsItIs"),
      Map.entry("special-files: copy", "reliability.SpecialFilesTest#copyKeepsThemByteForByte"),
      Map.entry("special-files: build, as base", "reliability.SpecialFilesTest#aBaseKeepsItsOwnLayersAsTheyAre"),
      Map.entry("special-files: build, as builder", "reliability.SpecialFilesTest#aLayerTakingThemFromTheBuilderIsRefusedNamingEach"),
      Map.entry("special-files: build, as builder with specialFiles: keep", "reliability.SpecialFilesTest#aLayerThatOptsInKeepsThemAndUmociUnpacksThem"),
      Map.entry("target that is a device, FIFO, socket or symlink: copy", "reliability.TargetsTest#copyRefusesEveryTargetThatIsNotARegularFile"),
      Map.entry("target that is a device, FIFO, socket or symlink: build", "reliability.TargetsTest#buildRefusesEveryTargetThatIsNotARegularFile"),
      Map.entry("layout target that is a symlink", "reliability.TargetsTest#aLayoutIsWrittenOnlyIntoANewPathOrARealDirectory"),
      Map.entry("SIGTERM during a copy into a layout", "reliability.InterruptsTest#sigtermRemovesWhatACopyIntoAnExistingLayoutStagedAndNothingWasStagedInBlobs"),
      Map.entry("SIGINT during a copy to an archive", "reliability.InterruptsTest#sigintRemovesWhatACopyToAnArchiveStaged"),
      Map.entry("SIGTERM during a build", "reliability.InterruptsTest#sigtermRemovesWhatABuildStagedInItsTempAndCacheDirectories"),
      Map.entry("leftovers of a killed run", "reliability.InterruptsTest#whatAKilledRunLeftIsSweptByTheNextButNotWhatALiveRunStages"),
      Map.entry("unreachable registry target", "reliability.PreflightTest#anUnreachableRegistryFailsTheBuildBeforeAnyWorkAndItsRetriesAreShown"),
      Map.entry("registry target refusing the credentials", "reliability.PreflightTest#refusedPushCredentialsFailTheBuildBeforeAnyWork"),
      Map.entry("docker-archive target for several platforms", "reliability.PreflightTest#aDockerArchiveForSeveralPlatformsIsRefusedByPlanAndBuildBeforeAnyWork"),
      Map.entry("graft.yaml reading a host directory up the tree", "reliability.LocalSourcesTest#aDirectoryUpTheTreeIsRefusedByPlanAndBuild"),
      Map.entry("graft.yaml reading a host directory through a symlink", "reliability.LocalSourcesTest#aSymlinkInsideTheProjectThatLeadsOutIsRefused"),
      Map.entry("source answering differently on a later read: content", "fs.VerifiedContentTest#openContentFailsBeforeHandingOutAByte"),
      Map.entry("source answering differently on a later read: spool", "fs.VerifiedContentTest#aSpoolNeverServesContentOfALayerThatFailed"),
      Map.entry("source answering differently on a later read: extract", "fs.VerifiedContentTest#extractWritesNoFileOfALayerThatFailed")));

  /** The commands, in the order of each row of {@link #BY_COMMAND}. */
  static final List<String> COMMANDS = List.of("ls", "extract", "verify", "copy", "build, as base",
      "build, as builder");

  /**
   * Each image made without graft's writer (testdata/hostile/make-hostile.py and make-many-entries.py,
   * Python's tarfile; TestTars' malformed tars) → the test that proves what each command does with
   * it, in the order of {@link #COMMANDS}. Every image make-hostile.py makes must have a full row.
   */
  static final Map<String, List<String>> BY_COMMAND = new TreeMap<>(Map.ofEntries(
      damaged("corrupt-after-end-marker"), damaged("corrupt-gzip-header"), damaged("corrupt-content"),
      damaged("lying-diff-id"),
      Map.entry("plant-through-link", List.of(
          "ConfinementTest#lsShowsEntriesWhereUmociUnpacksThem",
          "ConfinementTest#extractOfAppBringsNothingFromOutsideItAndRefusesItsEscapingLinks",
          "ConfinementTest#verifyJudgesTheTreeAsARuntimeWouldUnpackIt",
          "ConfinementTest#copyKeepsTheImageByteForByteAsSkopeoDoes",
          "ConfinementTest#aBuildOnThisBaseKeepsItsLayersAsTheyAreAndPlacesNewFilesTheSameWay",
          "ConfinementTest#aBuildSelectingAppFromThisBuilderShipsTheBasesEtcAndNothingPlanted")),
      Map.entry("special-files", List.of(
          "SpecialFilesTest#lsShowsThemAsTheyAre",
          "SpecialFilesTest#extractSkipsThemByName",
          "SpecialFilesTest#verifyReadsTheImageAsItIs",
          "SpecialFilesTest#copyKeepsThemByteForByte",
          "SpecialFilesTest#aBaseKeepsItsOwnLayersAsTheyAre",
          "SpecialFilesTest#aLayerTakingThemFromTheBuilderIsRefusedNamingEach")),
      Map.entry("control-characters", List.of(
          "ControlCharactersTest#lsEscapesNamesAndLinkTargetsAndNoLineIsForged",
          "ControlCharactersTest#extractWritesTheNamesAsTheyAreAndPrintsThemEscaped",
          "ControlCharactersTest#verifyReportsTheMissingEntrypointEscaped",
          "ControlCharactersTest#copyPrintsNothingRaw",
          "ControlCharactersTest#aBuildOnThisBaseReportsItsEntrypointEscaped",
          "ControlCharactersTest#aBuildFromThisBuilderKeepsTheNamesAndPrintsNothingRaw")),
      Map.entry("deep-path", List.of(
          "HostileCorpusTest#refusesAnEntryNameOverPathMaxOnEveryCommand",
          "HostileCorpusTest#refusesAnEntryNameOverPathMaxOnEveryCommand",
          "HostileCorpusTest#refusesAnEntryNameOverPathMaxOnEveryCommand",
          "HostileCorpusTest#deepPathIsCopiedByteForByteAsSkopeoCopiesIt",
          "HostileCorpusTest#refusesAnEntryNameOverPathMaxOnEveryCommand",
          "HostileCorpusTest#refusesAnEntryNameOverPathMaxOnEveryCommand")),
      Map.entry("many-entries (make-many-entries.py)", List.of(
          "ManyEntriesTest#aMillionEntriesAreListedInABoundedHeap",
          "ManyEntriesTest#aPackageIsExtractedAndSelectedAsABuilderInABoundedHeap",
          "ManyEntriesTest#itIsVerifiedInABoundedHeap",
          "ManyEntriesTest#itIsCopiedByteForByte",
          "ManyEntriesTest#anImageOfAMillionEntriesIsBuiltOnInABoundedHeap",
          "ManyEntriesTest#aPackageIsExtractedAndSelectedAsABuilderInABoundedHeap")),
      Map.entry("malformed tars (TestTars: ../, absolute, hardlink out, giant size, truncated tar and gzip)", List.of(
          "MalformedTarsTest#everyCommandThatReadsLayersRefusesThem",
          "MalformedTarsTest#everyCommandThatReadsLayersRefusesThem",
          "MalformedTarsTest#everyCommandThatReadsLayersRefusesThem",
          "MalformedTarsTest#copyMovesThemByteForByteAsSkopeoDoes",
          "MalformedTarsTest#everyCommandThatReadsLayersRefusesThem",
          "MalformedTarsTest#everyCommandThatReadsLayersRefusesThem"))));

  private static Map.Entry<String, List<String>> damaged(String image) {
    return Map.entry(image, List.of(
        "VerifiedReadsTest#lsRefusesEveryDamagedImageAndListsNothing",
        "VerifiedReadsTest#extractRefusesEveryDamagedImageAndWritesNothing",
        "VerifiedReadsTest#verifyRefusesEveryDamagedImage",
        "VerifiedReadsTest#copyRefusesBlobsThatFailTheirDigestAsSkopeoDoes",
        "VerifiedReadsTest#buildRefusesEveryDamagedImageAsBaseAndWritesNothing",
        "VerifiedReadsTest#buildRefusesEveryDamagedImageAsBuilderAndWritesNothing"));
  }

  private static void assertTestExists(String what, String test) throws ClassNotFoundException {
    String[] parts = test.split("#");
    Class<?> c = Class.forName("dev.graft." + parts[0]);
    assertThat(Stream.of(c.getDeclaredMethods()).filter(m -> m.isAnnotationPresent(Test.class)).map(Method::getName))
        .as("test for '%s'", what).contains(parts[1]);
  }

  @Test
  void everyHostileImageIsMappedForEveryCommandToATestThatExists() throws Exception {
    assertThat(BY_COMMAND.keySet()).as("images of make-hostile.py").containsAll(HostileImages.names());
    assertThat(HostileImages.DAMAGED).allMatch(BY_COMMAND::containsKey);
    for (Map.Entry<String, List<String>> row : BY_COMMAND.entrySet()) {
      assertThat(row.getValue()).as(row.getKey()).hasSameSizeAs(COMMANDS);
      for (int i = 0; i < COMMANDS.size(); i++) {
        assertTestExists(row.getKey() + ": " + COMMANDS.get(i), "reliability." + row.getValue().get(i));
      }
    }
  }

  @Test
  void everyCorpusItemPointsAtATestThatExists() throws Exception {
    for (Map.Entry<String, String> e : CORPUS.entrySet()) {
      assertTestExists(e.getKey(), e.getValue());
    }
  }

  private static List<String> listing(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.map(p -> root.relativize(p).toString()).sorted().toList();
    }
  }

  /** A layout (OciLayouts writes it by hand, independently of graft) of one plain tar layer. */
  private static String layoutOf(Path dir, byte[] tar) throws IOException {
    Path layer = Files.write(dir.resolve("layer.tar"), tar);
    OciLayouts.write(dir.resolve("oci"), "t", List.of(layer));
    return "oci:" + dir.resolve("oci") + ":t";
  }

  @Test
  void refusesAnEntryNameOverPathMaxOnEveryCommand(@TempDir Path tmp) throws Exception {
    String ref = HostileImages.ref("deep-path");
    for (Cli r : List.of(Cli.run("ls", ref, "/"), Cli.run("extract", ref, "/", "--to", tmp.resolve("x").toString()),
        Cli.run("verify", ref), HostileRuns.buildOn(ref, tmp.resolve("base")),
        HostileRuns.buildFrom(ref, "paths: [/a], closure: off", tmp.resolve("builder")))) {
      assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
      assertThat(r.error()).contains("has a name of 200001 bytes, over Linux's PATH_MAX of 4096")
          .doesNotContain("StackOverflowError");
    }
  }

  /** copy unpacks nothing: the deep-path image is copied as skopeo copies it, byte for byte. */
  @Test
  void deepPathIsCopiedByteForByteAsSkopeoCopiesIt(@TempDir Path tmp) throws Exception {
    String ref = HostileImages.ref("deep-path");
    Cli r = HostileRuns.copy(ref, tmp.resolve("copy"));
    Tools.runOk(Duration.ofMinutes(1), "skopeo", "copy", "-q", ref,
        "oci:" + tmp.resolve("skopeo") + ":t");

    assertThat(r.exitCode()).as(r.err()).isZero();
    HostileRuns.assertCopiedByteForByte(ref, tmp.resolve("copy"));
    HostileRuns.assertCopiedByteForByte(ref, tmp.resolve("skopeo"));
  }

  @Test
  void deviceNodesAreNeverCreatedOnExtract(@TempDir Path tmp) throws Exception {
    String ref = layoutOf(tmp, TestTars.create().dir("dev").device("dev/sda", '4', 8, 0).device("dev/mem", '3', 1, 1)
        .file("dev/readme", "hi").bytes());
    List<String> before = listing(tmp);

    Cli r = Cli.run("extract", ref, "/dev", "--to", tmp.resolve("out").toString());

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(tmp.resolve("out/dev/readme")).hasContent("hi");
    assertThat(Files.exists(tmp.resolve("out/dev/sda"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(Files.exists(tmp.resolve("out/dev/mem"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(listing(tmp)).filteredOn(p -> !p.startsWith("out")).isEqualTo(before);
  }

  @Test
  void duplicatePathsResolveToTheLastLikeTarDoes(@TempDir Path tmp) throws Exception {
    String ref = layoutOf(tmp, TestTars.create().dir("etc").file("etc/app.conf", "first").file("etc/app.conf", "second")
        .bytes());

    Cli ls = Cli.run("ls", ref, "/etc");
    Cli x = Cli.run("extract", ref, "/etc/app.conf", "--to", tmp.resolve("out").toString());

    assertThat(ls.out().lines().filter(l -> l.endsWith("/etc/app.conf"))).hasSize(1);
    assertThat(x.exitCode()).as(x.err()).isZero();
    assertThat(tmp.resolve("out/etc/app.conf")).hasContent("second");
  }

  @Test
  void refusesADecompressionBombWithoutExpandingIt() {
    byte[] bomb = TestTars.zstdBomb(2L << 30); // 2 GiB of zeros
    assertThat(bomb.length).isLessThan(1 << 20);
    LayerBlob layer = new LayerBlob("bomb.tar.zst", () -> new ByteArrayInputStream(bomb));

    assertThatThrownBy(() -> FileTree.of(List.of(layer))).isInstanceOf(LayerFormatException.class)
        .hasMessageContaining("layer bomb.tar.zst expands to over").hasMessageContaining("decompression bomb")
        .satisfies(e -> {
          // stopped soon after the floor, far from expanding all 2 GiB
          long expanded = Long.parseLong(e.getMessage().replaceAll(".*expands to over ([0-9]+) bytes.*", "$1"));
          assertThat(expanded).isGreaterThan(LayerBlob.BOMB_FLOOR).isLessThan(LayerBlob.BOMB_FLOOR + (64L << 20));
        });
  }

  @Test
  void aBombIsRefusedInASmallHeap(@TempDir Path tmp) throws Exception {
    Path layer = Files.write(tmp.resolve("bomb.tar.zst"), TestTars.zstdBomb(2L << 30));
    OciLayouts.write(tmp.resolve("oci"), "t", List.of(layer));

    // graft in its own JVM with a 256 MiB heap (GraftProcess sets -Xmx256m)
    GraftProcess.Result r = GraftProcess.run(Map.of(), "ls", "oci:" + tmp.resolve("oci") + ":t", "/");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("decompression bomb").doesNotContain("OutOfMemoryError");
  }

  @Test
  void refusesALayerTheConfigsDiffIdDoesNotDescribe(@TempDir Path tmp) throws Exception {
    Fixture alpine = AlpineImages.singlePlatformLayout(tmp.resolve("a"), "3.16", Platform.LINUX_AMD64);
    Manifest m = alpine.manifest(Platform.LINUX_AMD64);
    try (ImageSource source = Images.open(ImageRef.parse(alpine.ref()), TransferOptions.defaults())) {
      byte[] config;
      try (InputStream in = source.openBlob(m.config())) {
        config = in.readAllBytes();
      }
      Digest truth = Digest.parse(dev.graft.oci.Json.parse(config, "config").get("rootfs").get("diff_ids").get(0).asText());
      assertThat(FileTree.read(source, m, List.of(truth)).lookup("/bin/busybox")).isPresent();

      Digest lie = Digest.sha256("not this layer".getBytes());
      assertThatThrownBy(() -> FileTree.read(source, m, List.of(lie))).isInstanceOf(LayerFormatException.class)
          .hasMessageContaining("layer " + m.layers().get(0).digest())
          .hasMessageContaining("diff_ids say " + lie);
    }
  }

  /** Writes {@code blob} into the layout's blob store under its digest (or a given one). */
  private static void putBlob(Path layout, Digest as, byte[] bytes) throws IOException {
    Files.write(Files.createDirectories(layout.resolve("blobs/sha256")).resolve(as.hex()), bytes);
  }

  private static void tag(Path layout, Blob root) throws IOException {
    AlpineImages.writeIndexJson(layout, root, "t");
  }

  @Test
  void refusesIndexesNestedTooDeep(@TempDir Path tmp) throws Exception {
    Fixture alpine = AlpineImages.singlePlatformLayout(tmp.resolve("a"), "3.16", Platform.LINUX_AMD64);
    Blob current = alpine.root();
    for (int i = 0; i < 12; i++) {
      Descriptor d = current.descriptor();
      current = new Index(MediaTypes.OCI_INDEX, List.of(i == 0 ? d.withPlatform(Platform.LINUX_AMD64) : d), Map.of())
          .toBlob();
      putBlob(alpine.dir(), current.digest(), current.bytes());
    }
    tag(alpine.dir(), current);
    List<String> before = listing(tmp);

    Cli r = Cli.run("copy", "oci:" + alpine.dir() + ":t", "oci:" + tmp.resolve("out") + ":t");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.error()).contains("indexes nest deeper than 8 levels");
    assertThat(listing(tmp)).isEqualTo(before);
  }

  @Test
  void refusesAnIndexThatNamesItself(@TempDir Path tmp) throws Exception {
    // A cycle needs an index whose digest is named inside itself: impossible for honest bytes, so
    // the attempt is stored under the digest it claims, and must fail verification, not loop.
    Fixture alpine = AlpineImages.singlePlatformLayout(tmp.resolve("a"), "3.16", Platform.LINUX_AMD64);
    Digest claimed = Digest.sha256("the index's own digest, as it claims".getBytes());
    Blob loop = new Index(MediaTypes.OCI_INDEX,
        List.of(new Descriptor(MediaTypes.OCI_INDEX, claimed, 200)), Map.of()).toBlob();
    Blob looping = new Index(MediaTypes.OCI_INDEX,
        List.of(new Descriptor(MediaTypes.OCI_INDEX, claimed, loop.size())), Map.of()).toBlob();
    putBlob(alpine.dir(), claimed, looping.bytes());
    putBlob(alpine.dir(), looping.digest(), looping.bytes());
    tag(alpine.dir(), looping);

    Cli r = Cli.run("copy", "oci:" + alpine.dir() + ":t", "oci:" + tmp.resolve("out") + ":t");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.error()).containsAnyOf("does not match its digest", "bytes, its descriptor declares",
        "nest deeper than");
    assertThat(tmp.resolve("out")).doesNotExist();
  }

  @Test
  void refusesAManifestThatUnderstatesALayerSize(@TempDir Path tmp) throws Exception {
    Fixture alpine = AlpineImages.singlePlatformLayout(tmp.resolve("a"), "3.16", Platform.LINUX_AMD64);
    Manifest m = alpine.manifest(Platform.LINUX_AMD64);
    Descriptor real = m.layers().get(0);
    Descriptor lying = new Descriptor(real.mediaType(), real.digest(), real.size() / 2);
    Blob manifest = new Manifest(m.mediaType(), m.config(), List.of(lying), Map.of()).toBlob();
    putBlob(alpine.dir(), manifest.digest(), manifest.bytes());
    tag(alpine.dir(), manifest);

    Cli r = Cli.run("copy", "oci:" + alpine.dir() + ":t", "oci:" + tmp.resolve("out") + ":t");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.error()).contains(real.digest().toString()).contains("its descriptor declares " + lying.size());
    assertThat(tmp.resolve("out")).doesNotExist();
  }
}
