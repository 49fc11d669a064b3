package dev.graft.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The project's own Node-API test addon ({@code testdata/napi-addon/napi10.c}): it calls a
 * Node-API 10 function while loading. Compiled once by {@code testdata/napi-addon/build.sh} with
 * gcc against npm's node-api-headers, cached under {@link TestData#cacheDir()}/napi-addon.
 */
public final class NapiAddon {
  public static final String HEADERS = "node-api-headers@1.9.0";
  /** The Node-API function the addon calls at load time (Node-API 10: Node 22.14+). */
  public static final String NEEDS = "node_api_create_buffer_from_arraybuffer";

  private static Path built;

  private NapiAddon() {}

  /** The built {@code napi10.node} (x86_64, glibc-neutral: it needs no library at all). */
  public static synchronized Path path() {
    if (built == null) {
      Tools.require("gcc");
      Path script = TestData.projectRoot().resolve("testdata/napi-addon/build.sh");
      List<String> cmd = List.of("bash", script.toString(), NpmFixtures.pkg(HEADERS).resolve("include").toString(),
          TestData.cacheDir().toString());
      Path p = Path.of(Tools.run(Duration.ofMinutes(2), null, cmd).assertSuccess(cmd).stdout().trim());
      if (!Files.isRegularFile(p)) {
        throw new IllegalStateException("build.sh printed " + p + ", which is not a file");
      }
      built = p;
    }
    return built;
  }
}
