package dev.graft.assemble;

import dev.graft.verify.Finding;
import dev.graft.verify.Report;
import dev.graft.verify.Severity;
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

  /**
   * One line: which platform has how many errors of which codes. The findings themselves (message
   * and fix) are in the reports, which the CLI prints above this line; repeating the first one
   * here made the line as long as the report.
   */
  private static String summary(List<Report> reports) {
    String which = reports.stream().filter(Report::hasErrors).map(r -> {
      List<Finding> errors = r.withSeverity(Severity.ERROR);
      String codes = errors.stream().map(Finding::code).distinct().collect(Collectors.joining(", "));
      return r.subject() + ": " + errors.size() + (errors.size() == 1 ? " error (" : " errors (") + codes + ")";
    }).collect(Collectors.joining("; "));
    return "the image would not run (" + which + "); nothing was written (the findings say why and how to fix"
        + " each; --verify=warn writes it anyway)";
  }
}
