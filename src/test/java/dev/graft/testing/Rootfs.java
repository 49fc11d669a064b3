package dev.graft.testing;

import dev.graft.verify.image.HostDirImageFiles;
import dev.graft.verify.image.ImageFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real root filesystem unpacked on the host, with npm fixtures placed into it, and the real
 * loader run inside it (chroot; qemu-user for other architectures) to confirm graft's verdicts.
 */
public record Rootfs(Path dir, String arch) {
  /**
   * Root filesystems hold absolute symlinks (/etc/mtab -> /proc/mounts); JUnit warns about each
   * one when it deletes a @TempDir. Held here so the logger (and its level) is not collected.
   */
  private static final java.util.logging.Logger QUIET_TEMPDIR = quietTempDir();

  private static java.util.logging.Logger quietTempDir() {
    java.util.logging.Logger l = java.util.logging.Logger.getLogger("org.junit.jupiter.engine.extension");
    l.setLevel(java.util.logging.Level.SEVERE);
    return l;
  }

  private static final Pattern LDD_FOUND = Pattern.compile("^\\s+(\\S+) => (\\S+) \\(0x");
  private static final Pattern GLIBC_MISSING = Pattern.compile("^\\s+(\\S+) => not found");
  private static final Pattern MUSL_MISSING = Pattern.compile("^Error loading shared library (\\S+): .*\\(needed by (.*)\\)$");

  public static Rootfs alpine(String version, String arch, Path tmp) {
    return new Rootfs(AlpineRootfs.unpack(version, arch, tmp.resolve("rootfs")), arch);
  }

  public static Rootfs debianArm64(String suite, Path tmp) {
    return new Rootfs(dev.graft.testing.DebianRootfs.unpack(suite, "minbase", "arm64", tmp.resolve("rootfs")), "aarch64");
  }

  public static Rootfs debian(String suite, Path tmp) {
    return new Rootfs(dev.graft.testing.DebianRootfs.unpack(suite, "minbase", tmp.resolve("rootfs")), "x86_64");
  }

  /**
   * What glibc's own loader says ({@code ld.so --list}): NEEDED name → path for found
   * libraries, and the names it reports as not found. Version errors are in the output.
   */
  public Ldd glibcLdd(String loader, String file, Map<String, String> env) {
    return ldd(loader, file, env, GLIBC_MISSING);
  }

  public ImageFiles files() {
    return new HostDirImageFiles(dir);
  }

  /** Copies an npm fixture package to {@code /app/node_modules/<name>}; returns that image path. */
  public String placePackage(String spec) {
    String target = "/app/node_modules/" + NpmFixtures.name(spec);
    copyTree(NpmFixtures.pkg(spec), target);
    return target;
  }

  public void copyTree(Path from, String imagePath) {
    Path to = host(imagePath);
    try {
      Files.createDirectories(to.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Tools.runOk(Duration.ofMinutes(2), "cp", "-a", "--no-preserve=ownership", from.toString(), to.toString());
  }

  public void copyFile(Path from, String imagePath) {
    copyTree(from, imagePath);
  }

  public void write(String imagePath, String text) {
    try {
      Files.createDirectories(host(imagePath).getParent());
      Files.writeString(host(imagePath), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path host(String imagePath) {
    return dir.resolve(imagePath.substring(1));
  }

  /** The command prefix that runs an image binary of this rootfs's architecture in a chroot. */
  public List<String> chroot(String... command) {
    List<String> cmd = new ArrayList<>(List.of(Tools.require("chroot").toString(), dir.toString()));
    String qemu = switch (arch) {
      case "x86_64" -> null;
      case "aarch64" -> "qemu-aarch64-static";
      case "armv7" -> "qemu-arm-static";
      default -> throw new IllegalArgumentException(arch);
    };
    if (qemu != null) { // no binfmt_misc here: run the emulator explicitly, from inside the root
      Path q = Tools.require(qemu);
      if (!Files.exists(host("/" + qemu))) {
        copyFile(q, "/" + qemu);
      }
      cmd.add("/" + qemu);
    }
    cmd.addAll(List.of(command));
    return cmd;
  }

  /**
   * {@link #chroot} with /proc mounted in the root, as a container runtime mounts it, in a mount
   * namespace of its own (the mount goes when the command ends): for programs that read
   * /proc/self (swc's native binding finds its cache from the mount table).
   */
  public List<String> chrootWithProc(String... command) {
    List<String> cmd = new ArrayList<>(List.of(Tools.require("unshare").toString(), "-m", "--",
        "/bin/sh", "-c", "mount -t proc proc \"$0/proc\" && exec \"$@\"", dir.toString()));
    cmd.addAll(chroot(command));
    return cmd;
  }

  public Tools.Result run(String... command) {
    return Tools.run(Duration.ofMinutes(2), null, chroot(command));
  }

  public Tools.Result runWithEnv(Map<String, String> env, String... command) {
    List<String> cmd = new ArrayList<>(List.of("env"));
    env.forEach((k, v) -> cmd.add(k + "=" + v));
    cmd.addAll(chroot(command));
    return Tools.run(Duration.ofMinutes(2), null, cmd);
  }

  /** What musl's own loader says in ldd mode: NEEDED name → path, and the names it cannot find. */
  public record Ldd(Map<String, String> found, List<String> missing, String output) {
    /** musl's "Error relocating OBJ: SYM: symbol not found" lines, as "OBJ: SYM". */
    public java.util.Set<String> unresolvedSymbols() {
      java.util.Set<String> out = new java.util.TreeSet<>();
      Matcher m = Pattern.compile("(?m)^Error relocating (.*): (\\S+): symbol not found$").matcher(output);
      while (m.find()) {
        out.add(m.group(1) + ": " + m.group(2));
      }
      return out;
    }
  }

  public Ldd muslLdd(String loader, String file, Map<String, String> env) {
    return ldd(loader, file, env, MUSL_MISSING);
  }

  /** Runs {@code loader --list file}; both loaders print found libraries alike and differ in how they say "missing". */
  private Ldd ldd(String loader, String file, Map<String, String> env, Pattern missingPattern) {
    Tools.Result r = runWithEnv(env, loader, "--list", file);
    Map<String, String> found = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (String line : (r.stdout() + "\n" + r.stderr()).split("\n")) {
      Matcher m = LDD_FOUND.matcher(line);
      if (m.find()) {
        found.put(m.group(1), m.group(2));
      }
      m = missingPattern.matcher(line);
      if (m.find()) {
        missing.add(m.group(1));
      }
    }
    return new Ldd(found, missing, r.stdout() + r.stderr());
  }
}
