package dev.graft.assemble;

import dev.graft.config.PlatformPlan;
import dev.graft.oci.Platform;
import dev.graft.oci.Require;
import dev.graft.registry.RetryPolicy;
import dev.graft.verify.loader.ParsedElfs;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the layer sources of one platform's build share: the plan, the resolved base and builder
 * with their trees, the environment the image runs with, where files are spooled, the caches, the
 * registry retry policy and process environment (npm's registry and credentials), and the steps
 * and listener they report through.
 *
 * @param imageEnv the image's environment: the base's with graft.yaml's {@code config.env} over it
 * @param processEnv graft's own environment ({@code .npmrc} placeholders, npm tokens)
 * @param elfs ELF files parsed by the closure, for verification to reuse
 */
record LayerInputs(PlatformPlan plan, ResolvedSources sources, List<String> imageEnv, Spools spools, Path cacheDir,
    SelectionCache selections, LocalLayers local, RetryPolicy retry, Map<String, String> processEnv, Steps steps,
    BuildListener listener, ParsedElfs elfs) {
  LayerInputs {
    Require.nonNull("plan, sources, spools, cacheDir, selections, local, retry, steps, listener, elfs",
        plan, sources, spools, cacheDir, selections, local, retry, steps, listener, elfs);
    imageEnv = List.copyOf(imageEnv);
    processEnv = Map.copyOf(processEnv);
  }

  Platform platform() {
    return plan.platform();
  }
}
