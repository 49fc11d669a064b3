package dev.graft.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * podman's Docker-compatible API service ({@code podman system service}) with every piece of its
 * state — image store, run root, libpod's tmp dir, network configs, events, the socket — in one
 * temp directory, so a test run leaves nothing behind and parallel runs (other engineers, other
 * JVMs) never share a store. It reads the repository's {@code scripts/containers.conf} (runc,
 * cgroupfs, file events, lower ulimits), the configuration that makes podman start containers in
 * a sandbox without systemd, with file locks in the temp directory instead of the host-wide
 * shared-memory lock segment. {@link #cli} runs the podman CLI against the same store.
 */
public final class PodmanService implements AutoCloseable {
  private final Path dir;
  private final List<String> globalFlags;
  private final Map<String, String> env;
  private final Process process;
  private final Path socket;

  private PodmanService(Path dir, List<String> globalFlags, Map<String, String> env, Process process, Path socket) {
    this.dir = dir;
    this.globalFlags = globalFlags;
    this.env = env;
    this.process = process;
    this.socket = socket;
  }

  /** Starts the service and waits (at most 60 s) until its socket answers {@code GET /_ping}. */
  public static PodmanService start() throws IOException {
    Tools.require("podman");
    Tools.require("runc");
    Path dir = Files.createTempDirectory("graft-podman-");
    // The shipped configuration, plus file locks in this run's tmp dir: podman's default lock is
    // one host-wide shared-memory segment, which a fresh store "refreshes" (frees every lock in
    // it) when it first starts, under other podman users' feet.
    Path conf = dir.resolve("containers.conf");
    String shipped = Files.readString(TestData.projectRoot().resolve("scripts/containers.conf"));
    if (!shipped.contains("\n[engine]\n")) {
      throw new AssertionError("scripts/containers.conf has no [engine] table");
    }
    Files.writeString(conf, shipped.replace("\n[engine]\n", "\n[engine]\nlock_type = \"file\"\n"));
    Files.writeString(dir.resolve("storage.conf"), """
        [storage]
        driver = "overlay"
        graphroot = "%s"
        runroot = "%s"
        """.formatted(dir.resolve("root"), dir.resolve("run")));
    // Nothing is resolved through Docker Hub or any other search registry here: every image a test
    // runs is loaded by its full name.
    Files.writeString(dir.resolve("registries.conf"), "unqualified-search-registries = []\n");
    List<String> flags = List.of("--root", dir.resolve("root").toString(), "--runroot", dir.resolve("run").toString(),
        "--tmpdir", dir.resolve("tmp").toString(), "--network-config-dir", dir.resolve("cni").toString(),
        "--storage-driver", "overlay");
    Files.createDirectories(dir.resolve("cni"));
    Map<String, String> env = Map.of("CONTAINERS_CONF", conf.toString(),
        "CONTAINERS_STORAGE_CONF", dir.resolve("storage.conf").toString(),
        "CONTAINERS_REGISTRIES_CONF", dir.resolve("registries.conf").toString());
    Path socket = dir.resolve("podman.sock");
    List<String> cmd = new ArrayList<>(List.of("podman"));
    cmd.addAll(flags);
    cmd.addAll(List.of("system", "service", "--time=0", "unix://" + socket));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve("service.log").toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().putAll(env);
    Process p = pb.start();
    PodmanService service = new PodmanService(dir, flags, env, p, socket);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!ping(socket)) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        String log = Files.readString(dir.resolve("service.log"));
        service.close();
        throw new AssertionError("podman system service did not come up on " + socket + ": " + log);
      }
      sleep(100);
    }
    return service;
  }

  /** The socket as a Docker host URI ({@code unix:///tmp/graft-podman-…/podman.sock}). */
  public String dockerHost() {
    return "unix://" + socket;
  }

  /** The temp directory holding all of this service's state. */
  public Path dir() {
    return dir;
  }

  /** Runs {@code podman ARGS} on this service's store and configuration. */
  public Tools.Result cli(Duration timeout, String... args) {
    List<String> cmd = new ArrayList<>(List.of("env"));
    env.forEach((k, v) -> cmd.add(k + "=" + v));
    cmd.add("podman");
    cmd.addAll(globalFlags);
    cmd.addAll(List.of(args));
    return Tools.run(timeout, null, cmd);
  }

  /** As {@link #cli}, failing with podman's output when it exits non-zero. */
  public Tools.Result cliOk(Duration timeout, String... args) {
    Tools.Result r = cli(timeout, args);
    if (r.exitCode() != 0) {
      throw new AssertionError("podman " + String.join(" ", args) + " failed (exit " + r.exitCode() + "): "
          + r.stderr() + r.stdout());
    }
    return r;
  }

  /** {@code GET /_ping} on a Docker API socket answers {@code OK}. */
  public static boolean ping(Path socket) {
    if (!Files.exists(socket)) {
      return false;
    }
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      ch.write(ByteBuffer.wrap("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
      ByteBuffer buf = ByteBuffer.allocate(4096);
      while (ch.read(buf) > 0 && buf.hasRemaining()) {
        // read until the server closes (HTTP/1.0)
      }
      String response = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII);
      return response.startsWith("HTTP/1.") && response.contains(" 200 ") && response.endsWith("OK");
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Stops the service, removes every container it ran (runc state, mounts, CNI address leases) and
   * deletes the directory. Containers first: their network namespaces and port forwards belong
   * to the host, not to the directory.
   */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    cli(Duration.ofMinutes(2), "rm", "--all", "--force", "--time", "0");
    unmountUnder(dir);
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete podman's state in " + dir, e);
    }
  }

  /** Unmounts what is still mounted below {@code dir} (overlay layers, shm), deepest first. */
  private static void unmountUnder(Path dir) {
    try {
      List<String> mounts = new ArrayList<>();
      for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
        String[] f = line.split(" ");
        if (f.length > 4 && (f[4].equals(dir.toString()) || f[4].startsWith(dir + "/"))) {
          mounts.add(f[4]);
        }
      }
      mounts.sort(Comparator.comparingInt(String::length).reversed());
      for (String m : mounts) {
        Tools.run(Duration.ofSeconds(30), "umount", "-l", m);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
