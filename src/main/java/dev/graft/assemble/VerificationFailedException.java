package dev.graft.assemble;

import dev.graft.verify.Report;
import java.util.List;
import java.util.stream.Collectors;

/** Strict verification found errors: nothing was written to any target. The reports say what and how to fix it. */
public class VerificationFailedException extends BuildException {
  private final List<Report> reports;

  public VerificationFailedException(List<Report> reports) {
    super("verify", "", summary(reports));
    this.reports = List.copyOf(reports);
  }

  public List<Report> reports() {
    return reports;
  }

  private static String summary(List<Report> reports) {
    String which = reports.stream().filter(Report::hasErrors)
        .map(r -> r.subject() + " (" + r.withSeverity(dev.graft.verify.Severity.ERROR).size() + " errors: "
            + r.withSeverity(dev.graft.verify.Severity.ERROR).get(0).message() + ")")
        .collect(Collectors.joining("; "));
    return "the image would not run: " + which + "; nothing was written (use --verify=warn to write it anyway)";
  }
}
