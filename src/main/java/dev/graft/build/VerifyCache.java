package dev.graft.build;

import dev.graft.oci.Digest;
import dev.graft.oci.Platform;
import dev.graft.verify.Finding;
import dev.graft.verify.ImageFiles;
import dev.graft.verify.Report;
import dev.graft.verify.Severity;
import dev.graft.verify.VerifyTrace;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
  private static final int MAX_STRING = 16 << 20;
  private static final int MAX_ITEMS = 10_000_000;

  private final Path dir;

  VerifyCache(Path cacheDir) {
    this.dir = cacheDir.resolve("verify");
  }

  /** A cached report for this image, when its trace still holds; reads no file content. */
  Optional<Report> lookup(String key, ImageFiles files, String subject) {
    Path file = dir.resolve(key);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Entry e;
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      e = read(in);
    } catch (IOException | RuntimeException ex) {
      return Optional.empty(); // damaged: verified again and rewritten
    }
    return e.trace().holds(files) ? Optional.of(new Report(subject, e.findings())) : Optional.empty();
  }

  void store(String key, VerifyTrace trace, Report report) throws IOException {
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".verify", ".part");
    try {
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
        write(out, new Entry(trace, report.findings()));
      }
      try {
        Files.move(tmp, dir.resolve(key), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cache directory " + dir + " does not support atomic renames", e);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The key: everything the checks depend on other than the image's files. */
  static String key(Platform platform, List<String> command, List<String> env) {
    MessageDigest md = Digest.newSha256();
    StringBuilder sb = new StringBuilder(FORMAT).append('\n').append(CodeIdentity.get()).append('\n')
        .append(platform).append('\n');
    command.forEach(c -> sb.append("cmd\0").append(c).append('\n'));
    env.forEach(v -> sb.append("env\0").append(v).append('\n'));
    md.update(sb.toString().getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(md.digest());
  }

  private record Entry(VerifyTrace trace, List<Finding> findings) {}

  private static void write(DataOutputStream out, Entry e) throws IOException {
    out.writeUTF(FORMAT);
    out.writeInt(e.trace().steps().size());
    for (VerifyTrace.Step s : e.trace().steps()) {
      out.writeByte(s.op());
      string(out, s.path());
      string(out, s.answer());
    }
    out.writeInt(e.findings().size());
    for (Finding f : e.findings()) {
      string(out, f.severity().name());
      string(out, f.code());
      string(out, f.path());
      string(out, f.message());
      string(out, f.fix());
    }
  }

  private static Entry read(DataInputStream in) throws IOException {
    if (!in.readUTF().equals(FORMAT)) {
      throw new IOException("other format");
    }
    int n = count(in);
    List<VerifyTrace.Step> steps = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      char op = (char) in.readUnsignedByte();
      steps.add(new VerifyTrace.Step(op, string(in), string(in)));
    }
    int m = count(in);
    List<Finding> findings = new ArrayList<>();
    for (int i = 0; i < m; i++) {
      findings.add(new Finding(Severity.valueOf(string(in)), string(in), string(in), string(in), string(in)));
    }
    if (in.read() != -1) {
      throw new IOException("trailing bytes");
    }
    return new Entry(new VerifyTrace(steps), findings);
  }

  private static int count(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX_ITEMS) {
      throw new IOException("bad count " + n);
    }
    return n;
  }

  private static void string(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String string(DataInputStream in) throws IOException {
    int len = in.readInt();
    if (len < 0 || len > MAX_STRING) {
      throw new IOException("bad string length " + len);
    }
    return new String(in.readNBytes(len), StandardCharsets.UTF_8);
  }
}
