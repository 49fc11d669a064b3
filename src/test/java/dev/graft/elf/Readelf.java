package dev.graft.elf;

import dev.graft.testing.Tools;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** binutils' readelf as an independent judge of what our reader says. */
record Readelf(Optional<String> interpreter, List<String> needed, Optional<String> soname,
    List<String> rpath, List<String> runpath, Map<String, List<String>> versionNeeds, List<String> versionDefs) {

  private static final Pattern DYN = Pattern.compile("\\((NEEDED|SONAME|RPATH|RUNPATH)\\)\\s+[^\\[]*\\[(.*)]");
  private static final Pattern INTERP = Pattern.compile("\\[Requesting program interpreter: (.*)]");
  private static final Pattern NEED_FILE = Pattern.compile("Version: \\d+\\s+File: (\\S+)\\s+Cnt: \\d+");
  private static final Pattern NEED_NAME = Pattern.compile("^\\s*0x[0-9a-f]+:\\s+Name: (\\S+)\\s+Flags:");
  private static final Pattern DEF = Pattern.compile("Rev: \\d+\\s+Flags: (\\S+)\\s+Index: \\d+\\s+Cnt: \\d+\\s+Name: (\\S+)");

  static Readelf of(Path file) {
    Tools.require("readelf");
    String out = Tools.runOk(Duration.ofMinutes(1), "readelf", "-W", "-l", "-d", "-V", file.toString()).stdout();
    Optional<String> interp = Optional.empty();
    List<String> needed = new ArrayList<>();
    Optional<String> soname = Optional.empty();
    List<String> rpath = List.of();
    List<String> runpath = List.of();
    Map<String, List<String>> needs = new LinkedHashMap<>();
    List<String> defs = new ArrayList<>();
    String section = "";
    String file2 = null;
    for (String line : out.split("\n")) {
      if (line.startsWith("Version needs section")) {
        section = "needs";
      } else if (line.startsWith("Version definition section")) {
        section = "defs";
      } else if (line.startsWith("Version symbols section")) {
        section = "";
      }
      Matcher m;
      if ((m = INTERP.matcher(line)).find()) {
        interp = Optional.of(m.group(1));
      } else if ((m = DYN.matcher(line)).find()) {
        switch (m.group(1)) {
          case "NEEDED" -> needed.add(m.group(2));
          case "SONAME" -> soname = Optional.of(m.group(2));
          case "RPATH" -> rpath = List.of(m.group(2).split(":"));
          default -> runpath = List.of(m.group(2).split(":"));
        }
      } else if (section.equals("needs") && (m = NEED_FILE.matcher(line)).find()) {
        file2 = m.group(1);
        needs.computeIfAbsent(file2, k -> new ArrayList<>());
      } else if (section.equals("needs") && (m = NEED_NAME.matcher(line)).find()) {
        List<String> l = needs.get(file2);
        if (!l.contains(m.group(1))) {
          l.add(m.group(1));
        }
      } else if (section.equals("defs") && (m = DEF.matcher(line)).find()) {
        if (!m.group(1).equals("BASE") && !defs.contains(m.group(2))) {
          defs.add(m.group(2));
        }
      }
    }
    return new Readelf(interp, needed, soname, rpath, runpath, needs, defs);
  }
}
