package dev.graft.verify;

import dev.graft.oci.Printable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** All findings for one image (platform), ordered by severity, then path, then code: stable output. */
public record Report(String subject, List<Finding> findings) {
  private static final Comparator<Finding> ORDER = Comparator.comparing(Finding::severity)
      .thenComparing(Finding::path).thenComparing(Finding::code).thenComparing(Finding::message);

  public Report {
    List<Finding> sorted = new ArrayList<>(findings);
    sorted.sort(ORDER);
    findings = List.copyOf(sorted);
  }

  public boolean hasErrors() {
    return findings.stream().anyMatch(f -> f.severity() == Severity.ERROR);
  }

  public List<Finding> withSeverity(Severity s) {
    return findings.stream().filter(f -> f.severity() == s).toList();
  }

  /** The human report: grouped by severity, each finding with its fix. */
  public String render() {
    StringBuilder sb = new StringBuilder();
    sb.append(subject).append(": ");
    if (findings.isEmpty()) {
      return sb.append("no problems found\n").toString();
    }
    sb.append(withSeverity(Severity.ERROR).size()).append(" error(s), ")
        .append(withSeverity(Severity.WARNING).size()).append(" warning(s)\n");
    for (Severity s : Severity.values()) {
      List<Finding> group = withSeverity(s);
      if (group.isEmpty()) {
        continue;
      }
      sb.append('\n').append(s.name()).append(s == Severity.INFO ? "\n" : "S\n");
      for (Finding f : group) {
        sb.append("  [").append(f.code()).append("] ").append(Printable.path(f.path())).append('\n');
        sb.append("    ").append(Printable.text(f.message())).append('\n');
        if (!f.fix().isEmpty()) {
          sb.append("    fix: ").append(Printable.text(f.fix())).append('\n');
        }
      }
    }
    return sb.toString();
  }
}
