package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * How the launcher tests see what {@code bin/graft} hands the JVM: a real jar whose main class
 * prints the JVM flags it was given, and {@code bin/graft} started on it.
 */
final class FlagPrinter {
  private FlagPrinter() {}

  /** Compiles the flag printer (for Java 17, the oldest JVM bin/graft runs on) into {@code dir/flags.jar}. */
  static Path jar(Path dir) throws IOException {
    Path src = Files.createDirectories(dir.resolve("src"));
    Files.writeString(src.resolve("Flags.java"), "public class Flags { public static void main(String[] a) {"
        + " System.out.println(String.join(\" \", java.lang.management.ManagementFactory.getRuntimeMXBean()"
        + ".getInputArguments())); } }");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertThat(javac.run(null, null, null, "--release", "17", "-d", src.toString(),
        src.resolve("Flags.java").toString())).isZero();
    Path jar = dir.resolve("flags.jar");
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "Flags");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), m)) {
      out.putNextEntry(new JarEntry("Flags.class"));
      out.write(Files.readAllBytes(src.resolve("Flags.class")));
      out.closeEntry();
    }
    return jar;
  }

  /**
   * {@code bin/graft ARGS} running {@code jar}, with {@code xdg} as its cache home and none of the
   * test's own {@code GRAFT_} variables (they would change what the launcher picks).
   */
  static ProcessBuilder launcher(Path jar, Path xdg, String... args) {
    List<String> cmd = new ArrayList<>(List.of("sh", Path.of("bin/graft").toAbsolutePath().toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().keySet().removeIf(k -> k.startsWith("GRAFT_"));
    pb.environment().put("GRAFT_JAR", jar.toString());
    pb.environment().put("XDG_CACHE_HOME", xdg.toString());
    return pb;
  }
}
