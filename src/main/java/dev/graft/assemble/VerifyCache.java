package dev.graft.assemble;

import dev.graft.layer.CacheFile;
import dev.graft.layer.SharedCache;
import dev.graft.oci.Digest;
import dev.graft.oci.Platform;
import dev.graft.verify.Finding;
import dev.graft.verify.Report;
import dev.graft.verify.Severity;
import dev.graft.verify.image.ImageFiles;
import dev.graft.verify.image.VerifyTrace;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Verification reports of earlier builds, reused when the new image answers every question the
 * verification asked the same way ({@link VerifyTrace}). Keyed by what the checks depend on besides
 * the files: graft's own code, the platform, the command and the environment. One entry per key
 * (the latest build's), written atomically; an unreadable entry is a miss.
 */
final class VerifyCache {
  private static final String FORMAT = "graft-verify-v1";
  private static final int MAX_ITEMS = 10_000_000;

  private final SharedFiles files;

  /** {@code shared} is asked after a local miss ({@link SharedCache#NONE}: nothing shared). */
  VerifyCache(Path cacheDir, SharedCache shared) {
    this.files = new SharedFiles(cacheDir, "verify", shared);
  }

  /** A cached report for this image, when its trace still holds; reads no file content. */
  Optional<Report> lookup(String key, ImageFiles image, String subject) {
    Optional<Report> hit = CacheFile.read(files.file(key), FORMAT, VerifyCache::read)
        .filter(e -> e.trace().holds(image))
        .map(e -> new Report(subject, e.findings()));
    if (hit.isPresent()) {
      files.used(key);
    }
    return hit;
  }

  void store(String key, VerifyTrace trace, Report report) throws IOException {
    CacheFile.write(files.dir(), key, FORMAT, out -> write(out, new Entry(trace, report.findings())));
    files.used(key);
  }

  /**
   * The key: everything the checks depend on other than the image's files.
   *
   * @param lookIn the other images findings may name (the builder), each as its name and manifest
   *     digest: their files are not traced, and a digest names all of them
   */
  static String key(Platform platform, List<String> command, List<String> env, List<String> lookIn) {
    MessageDigest md = Digest.newSha256();
    StringBuilder sb = new StringBuilder(FORMAT).append('\n').append(CodeIdentity.get()).append('\n')
        .append(platform).append('\n');
    command.forEach(c -> sb.append("cmd\0").append(c).append('\n'));
    env.forEach(v -> sb.append("env\0").append(v).append('\n'));
    lookIn.forEach(v -> sb.append("look-in\0").append(v).append('\n'));
    md.update(sb.toString().getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(md.digest());
  }

  private record Entry(VerifyTrace trace, List<Finding> findings) {}

  private static void write(DataOutputStream out, Entry e) throws IOException {
    out.writeInt(e.trace().steps().size());
    for (VerifyTrace.Step s : e.trace().steps()) {
      out.writeByte(s.op());
      CacheFile.writeString(out, s.path());
      CacheFile.writeString(out, s.answer());
    }
    out.writeInt(e.findings().size());
    for (Finding f : e.findings()) {
      CacheFile.writeString(out, f.severity().name());
      CacheFile.writeString(out, f.code());
      CacheFile.writeString(out, f.path());
      CacheFile.writeString(out, f.message());
      CacheFile.writeString(out, f.fix());
    }
  }

  private static Entry read(DataInputStream in) throws IOException {
    int n = CacheFile.readCount(in, MAX_ITEMS);
    List<VerifyTrace.Step> steps = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      char op = (char) in.readUnsignedByte();
      steps.add(new VerifyTrace.Step(op, CacheFile.readString(in), CacheFile.readString(in)));
    }
    int m = CacheFile.readCount(in, MAX_ITEMS);
    List<Finding> findings = new ArrayList<>();
    for (int i = 0; i < m; i++) {
      findings.add(new Finding(Severity.valueOf(CacheFile.readString(in)), CacheFile.readString(in),
          CacheFile.readString(in), CacheFile.readString(in), CacheFile.readString(in)));
    }
    return new Entry(new VerifyTrace(steps), findings);
  }
}
