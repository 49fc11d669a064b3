package dev.graft.assemble;

import dev.graft.config.LayerSpec;
import dev.graft.npm.ScriptVerdict;
import dev.graft.npm.Selection;
import dev.graft.verify.Finding;
import dev.graft.verify.Severity;
import java.util.ArrayList;
import java.util.List;

/** What a {@code from: npm} layer says in the build's report: its selection, script verdicts and pruning. */
final class NpmNotes {
  private NpmNotes() {}

  static List<Finding> of(LayerSpec spec, FromNpm.Made made) {
    List<Finding> out = new ArrayList<>();
    String to = spec.to().orElseThrow();
    Selection s = made.install().selection();
    long platformLeftOut = s.leftOut().stream().filter(l -> l.reason() != Selection.Reason.OMITTED).count();
    out.add(new Finding(Severity.INFO, "NPM_PACKAGES", to + "/node_modules", "layer '" + spec.name() + "': "
        + s.installed().size() + " packages for " + s.target() + " (" + s.platformPackages().size()
        + " platform packages: " + String.join(", ", s.platformPackages().stream().map(p -> p.id()).toList())
        + "); " + platformLeftOut + " left out for other platforms, "
        + (s.leftOut().size() - platformLeftOut) + " omitted", ""));
    for (ScriptVerdict v : made.install().verdicts()) {
      if (v.kind() == ScriptVerdict.Kind.WARNING) {
        out.add(new Finding(Severity.WARNING, "NPM_INSTALL_SCRIPT", to + "/" + v.pkg().path(), v.message(),
            "check that the package works without it; graft verify judges the native parts"));
      } else {
        out.add(new Finding(Severity.INFO, "NPM_INSTALL_SCRIPT", to + "/" + v.pkg().path(), v.message(), ""));
      }
    }
    if (made.install().laidOut().prunedFiles() > 0) {
      out.add(new Finding(Severity.INFO, "NPM_PRUNED", to + "/node_modules", "layer '" + spec.name() + "': prune: "
          + "platform removed " + made.install().laidOut().prunedFiles() + " prebuilds for other platforms ("
          + made.install().laidOut().prunedBytes() + " bytes)", ""));
    }
    return out;
  }
}
