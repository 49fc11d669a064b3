package dev.graft.assemble;

import dev.graft.config.BuildPlan;
import dev.graft.config.ImageTarget;
import dev.graft.config.PlatformPlan;
import dev.graft.oci.ImageRef;
import dev.graft.transfer.Images;
import dev.graft.transfer.TransferOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks every target before anything is read or built, so a build that cannot be written fails
 * in seconds, not after minutes of work: a registry must answer and accept this run's credentials
 * for a push; a local target must be a new path, a regular file (an archive) or a directory (a
 * layout). What the plan alone can tell (a docker-archive holds one platform) is refused earlier,
 * by the plan itself, so `graft plan` refuses it too.
 */
final class TargetPreflight {
  private TargetPreflight() {}

  static void run(BuildPlan plan, TransferOptions transfer, BuildListener listener) throws IOException {
    Set<String> checked = new LinkedHashSet<>();
    for (ImageTarget t : targets(plan)) {
      ImageRef ref = t.ref();
      String key = ref instanceof ImageRef.Registry r ? r.registry() + "/" + r.repository() : ref.toString();
      if (!checked.add(key)) {
        continue;
      }
      listener.targetChecking(key);
      // named as the first tag it will push, so a refusal names what the user asked for
      ImageRef named = ref instanceof ImageRef.Registry r && !t.tags().isEmpty() ? r.withTag(t.tags().get(0)) : ref;
      Images.checkWritable(named, transfer);
    }
  }

  private static List<ImageTarget> targets(BuildPlan plan) {
    List<ImageTarget> all = new ArrayList<>();
    for (PlatformPlan p : plan.platforms()) {
      all.addAll(p.targets());
    }
    all.addAll(plan.indexTargets());
    return all;
  }
}
