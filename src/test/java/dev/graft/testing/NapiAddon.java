package dev.graft.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The project's own Node-API test addons ({@code testdata/napi-addon}), both declaring Node-API
 * 10: {@code napi10.node} also calls a Node-API 10 function while loading, {@code declares10.node}
 * calls only Node-API 1 functions. Compiled once by {@code testdata/napi-addon/build.sh} with gcc
 * against npm's node-api-headers, cached under {@link TestData#cacheDir()}/napi-addon.
 */
public final class NapiAddon {
  public static final String HEADERS = "node-api-headers@1.9.0";
  /** The Node-API 10 function napi10.node calls at load time (Node 22.14+). */
  public static final String NEEDS = "node_api_create_buffer_from_arraybuffer";

  private static Path built;

  private NapiAddon() {}

  /** Exports {@code buffer}, a Buffer of "graft", made with {@link #NEEDS}. */
  public static Path napi10() {
    return file("napi10.node");
  }

  /** Exports {@code answer}, 42. */
  public static Path declares10() {
    return file("declares10.node");
  }

  private static synchronized Path file(String name) {
    if (built == null) {
      Tools.require("gcc");
      Path script = TestData.projectRoot().resolve("testdata/napi-addon/build.sh");
      List<String> cmd = List.of("bash", script.toString(), NpmFixtures.pkg(HEADERS).resolve("include").toString(),
          TestData.cacheDir().toString());
      built = Path.of(Tools.run(Duration.ofMinutes(2), null, cmd).assertSuccess(cmd).stdout().trim());
    }
    Path p = built.resolve(name);
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException("testdata/napi-addon/build.sh made no " + p);
    }
    return p;
  }
}
