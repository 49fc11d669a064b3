package dev.graft.oci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A sink that builds an OCI layout in a staging directory beside its target file and, on
 * commit, packs it reproducibly (see {@link DeterministicTar}) into a temp file there, forces it
 * to disk and renames it into place: until then the target is untouched. The archive formats
 * differ only in what they add to the layout.
 */
abstract class StagedArchiveSink implements ImageSink {
  private final ImageRef ref;
  protected final Path target;
  private final StagingDir stagingDir;
  /** The staged layout's directory (inside the staging directory). */
  protected final Path staging;
  protected final OciLayoutSink layout;

  StagedArchiveSink(ImageRef ref, Path target, StagingDir stagingDir, String tag, Map<String, String> annotations)
      throws IOException {
    this.ref = ref;
    this.target = target;
    this.stagingDir = stagingDir;
    this.staging = Files.createDirectory(stagingDir.path().resolve("layout"));
    this.layout = new OciLayoutSink(ref, staging, tag, null, annotations, stagingDir, false);
  }

  /** The temp files of this sink's staging directory, for what a subclass adds to the layout. */
  protected final StagingDir temps() {
    return stagingDir;
  }

  @Override
  public ImageRef ref() {
    return ref;
  }

  @Override
  public BlobOutcome putBlob(Descriptor descriptor, BlobContent content) throws IOException {
    return layout.putBlob(descriptor, content);
  }

  @Override
  public void putManifest(Blob manifest) throws IOException {
    layout.putManifest(manifest);
  }

  /** Commits the staged layout to {@code root} and packs it into the target. */
  protected final void commitAndPack(Blob root) throws IOException {
    layout.commit(root);
    Path tmp = stagingDir.newFile("archive");
    try {
      DeterministicTar.write(staging, tmp);
      TargetPath.sync(tmp);
      TargetPath.requireFileOrNew(ref, target); // again: it may have changed during the build
      OciLayouts.moveAtomically(tmp, target);
      TargetPath.syncDirectory(target.getParent());
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public void close() throws IOException {
    stagingDir.close();
  }
}
