package dev.graft.verify;

import dev.graft.oci.Printable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * All findings for one image (platform), ordered by severity, then path, then code: stable output;
 * {@code checked} says what was examined (the entrypoint, node, addons, npm packages), so "no
 * problems" is not mistaken for "nothing looked at".
 */
public record Report(String subject, List<Finding> findings, List<String> checked) {
  private static final Comparator<Finding> ORDER = Comparator.comparing(Finding::severity)
      .thenComparing(Finding::path).thenComparing(Finding::code).thenComparing(Finding::message);

  public Report {
    List<Finding> sorted = new ArrayList<>(findings);
    sorted.sort(ORDER);
    findings = List.copyOf(sorted);
    checked = List.copyOf(checked);
  }

  public Report(String subject, List<Finding> findings) {
    this(subject, findings, List.of());
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
      sb.append("no problems found");
    } else {
      sb.append(count(withSeverity(Severity.ERROR).size(), "error")).append(", ")
          .append(count(withSeverity(Severity.WARNING).size(), "warning"));
    }
    // what was checked names paths from the image (the entrypoint): escaped like every finding
    sb.append(checked.isEmpty() ? "" : " (checked " + String.join(", ", checked.stream().map(Printable::text).toList())
        + ")").append('\n');
    if (findings.isEmpty()) {
      return sb.toString();
    }
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

  /** "1 error", "2 errors". */
  public static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
