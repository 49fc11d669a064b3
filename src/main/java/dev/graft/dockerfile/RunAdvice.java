package dev.graft.dockerfile;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What to write in graft.yaml instead of a {@code RUN} (graft starts no container, so it runs
 * nothing): read from the commands the RUN chains ({@code &&}, {@code ;}, {@code |}), one hint per
 * kind of work, then how to tell graft the line is taken care of.
 */
final class RunAdvice {
  private RunAdvice() {}

  static String refusal(Instruction run) {
    String command = run.json().map(j -> String.join(" ", j)).orElse(run.args());
    Set<String> hints = new LinkedHashSet<>();
    for (String part : command.split("&&|\\|\\||;|\\|")) {
      List<String> words = words(part);
      if (words.isEmpty()) {
        continue;
      }
      String tool = words.get(0);
      String sub = words.size() > 1 ? words.get(1) : "";
      boolean installs = (tool.equals("apk") && sub.equals("add"))
          || ((tool.equals("apt-get") || tool.equals("apt")) && sub.equals("install"));
      if (installs && words.stream().anyMatch(w -> w.equals("nodejs") || w.equals("npm") || w.startsWith("nodejs-"))) {
        hints.add("graft node with the libraries it loads from an image that has it: 'builder: node:22-alpine' "
            + "(or another node image) and a layer '- recipe: node-runtime'");
      } else if (installs || tool.equals("pip") || tool.equals("pip3") || tool.equals("dnf") || tool.equals("yum")) {
        hints.add("graft does not run package managers: start FROM a base that has these packages, or take their "
            + "files from a builder image that has them ('- {name: tools, from: builder, paths: [/usr/bin/TOOL]}'; "
            + "closure: auto adds the libraries they load)");
      } else if ((tool.equals("npm") || tool.equals("yarn") || tool.equals("pnpm"))
          && List.of("ci", "install", "i", "add").contains(sub)) {
        hints.add("lay node_modules out from the lockfile: '- {name: deps, from: npm, lockfile: ./package-lock.json, "
            + "to: /app}', or take the installed ones from a builder image: '- {name: deps, from: builder, paths: "
            + "[/app/node_modules], to: /app/node_modules}' (graft checks their native addons against the image)");
      } else if (tool.equals("curl") || tool.equals("wget") || tool.equals("git")) {
        hints.add("graft downloads nothing but images: fetch the file before the build (e.g. a CI step) and COPY "
            + "it from the app directory");
      } else if (tool.equals("chmod") || tool.equals("chown")) {
        hints.add("set modes and owners where the files are copied: COPY --chmod=755 / --chown=1000:1000");
      } else if (tool.equals("mkdir")) {
        hints.add("COPY creates the directories it writes into; for an empty directory, COPY one from the app "
            + "(kept in git by a .gitkeep file)");
      }
    }
    if (hints.isEmpty()) {
      hints.add("put what it makes into graft.yaml layers: files another image has with 'from: builder', files of "
          + "the app with 'from: ./dir'");
    }
    return "RUN cannot be honoured: graft runs no commands (it never starts a container). Instead, "
        + String.join("; ", hints) + ". Then tell graft that graft.yaml does this line's work: "
        + "dockerfile: {ignore: [\"" + ignorePattern(run) + "\"]}";
  }

  /** {@code RUN apk add *}: the command's first word or two, then anything. */
  static String ignorePattern(Instruction run) {
    List<String> words = words(run.json().map(j -> String.join(" ", j)).orElse(run.args()));
    List<String> lead = new ArrayList<>();
    for (String w : words) {
      if (lead.size() == 2 || w.startsWith("-") || !w.matches("[A-Za-z0-9._/+:=@-]+")) {
        break;
      }
      lead.add(w);
    }
    return "RUN " + (lead.isEmpty() ? "" : String.join(" ", lead) + " ") + "*";
  }

  private static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    for (String w : text.strip().split("\\s+")) {
      if (!w.isEmpty() && !w.equals("\\")) {
        out.add(w);
      }
    }
    // a leading "exec" or "sudo" says nothing about the work
    while (!out.isEmpty() && (out.get(0).equals("exec") || out.get(0).equals("sudo"))) {
      out.remove(0);
    }
    return out;
  }
}
