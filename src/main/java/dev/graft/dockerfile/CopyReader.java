package dev.graft.dockerfile;

import dev.graft.layer.TarPaths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * COPY and ADD of one stage: sources from the build context (globs expanded, nothing outside it),
 * or with {@code --from} from an image or an earlier stage that only names an image; the
 * destination made absolute against WORKDIR. What needs a container is refused with what to do
 * instead: {@code COPY --from} a stage that runs (or copies) something, {@code ADD} of a URL or git
 * repository, {@code ADD} of a local archive (it would be unpacked).
 */
final class CopyReader {
  private static final Pattern CHMOD = Pattern.compile("[0-7]{3,4}|[ugoa]*[-+=][rwxXst]*(,[ugoa]*[-+=][rwxXst]*)*");

  private final StageEvaluator ev;
  private final Scope scope;
  private final StageEvaluator.Settings settings;

  CopyReader(StageEvaluator ev, Scope scope, StageEvaluator.Settings settings) {
    this.ev = ev;
    this.scope = scope;
    this.settings = settings;
  }

  void read(Instruction i, Stage stage) {
    boolean add = i.keyword().equals("ADD");
    if (i.flag("parents").isPresent()) {
      ev.problem(i, i.keyword() + " --parents is not supported by graft: copy each directory to its place");
      return;
    }
    List<String> words = i.json().orElse(i.words());
    if (words.size() < 2) {
      ev.problem(i, i.keyword() + " needs a source and a destination (" + i.keyword() + " src… dest)");
      return;
    }
    List<String> rawSources = words.subList(0, words.size() - 1);
    String rawDest = ev.word(words.get(words.size() - 1), scope);
    Optional<String> chmod = i.flag("chmod").map(v -> ev.word(v, scope));
    if (chmod.isPresent() && !CHMOD.matcher(chmod.get()).matches()) {
      ev.problem(i, "--chmod=" + chmod.get() + " is neither octal (755) nor symbolic (u+x, go=rX)");
      return;
    }
    Optional<String> chown = i.flag("chown").map(v -> ev.word(v, scope));
    if (chown.isPresent() && (chown.get().isEmpty() || chown.get().startsWith(":") || chown.get().endsWith(":"))) {
      ev.problem(i, "--chown=" + chown.get() + " must be user or user:group (names or numbers)");
      return;
    }
    List<String> excludes = i.flags().stream().filter(f -> f.name().equals("exclude") && f.value() != null)
        .map(f -> ev.word(f.value(), scope)).toList();
    if (add && i.flag("unpack").isPresent()) {
      ev.problem(i, "ADD --unpack is not supported by graft: unpack the archive into the app directory and COPY it");
      return;
    }
    String workdir = settings.workdir == null ? "/" : settings.workdir;
    boolean trailingSlash = rawDest.endsWith("/") || rawDest.equals(".") || rawDest.endsWith("/.");
    String dest = TarPaths.clean(rawDest.startsWith("/") ? rawDest : workdir + "/" + rawDest);
    Optional<String> from = i.flag("from").map(v -> ev.word(v, scope));
    if (from.isPresent()) {
      if (add) {
        ev.problem(i, "ADD has no --from; use COPY --from");
        return;
      }
      fromImage(i, stage, from.get(), rawSources, dest, trailingSlash, chmod, chown, excludes);
      return;
    }
    List<String> sources = new ArrayList<>();
    for (String raw : rawSources) {
      String src = ev.word(raw, scope);
      if (add && isRemote(src)) {
        ev.problem(i, "ADD " + src + " cannot be honoured: graft downloads nothing but images (and stops before any "
            + "network call). Fetch the file before the build (e.g. a CI step) into the app directory and COPY it");
        return;
      }
      try {
        for (String s : ev.in.context().sources(src)) {
          if (ev.in.context().isSymlink(s)) {
            ev.problem(i, i.keyword() + " " + src + ": '" + s + "' is a symlink; copy what it points to instead");
            return;
          }
          if (add && ev.in.context().isArchive(s)) {
            ev.problem(i, "ADD " + src + " would unpack the archive '" + s + "', which graft does not do: unpack it "
                + "into a directory of the app and COPY that directory");
            return;
          }
          sources.add(s);
        }
      } catch (IllegalArgumentException e) {
        ev.problem(i, i.keyword() + " " + src + ": " + e.getMessage());
        return;
      }
    }
    boolean into = trailingSlash || sources.size() > 1 || sources.stream().anyMatch(ev.in.context()::isDirectory);
    if (sources.size() > 1 && !trailingSlash) {
      ev.problem(i, "with more than one source file, the destination must be a directory and end with a / ("
          + rawDest + "/)");
      return;
    }
    settings.copies.add(new CopyStep(i.line(), i.text(), sources, dest, into, chmod, chown, excludes, Optional.empty()));
  }

  /**
   * COPY --from: the image a stage starts from when the stage does nothing to its files, or an
   * image reference; paths are literal (globs would need the image's listing, read later).
   */
  private void fromImage(Instruction i, Stage stage, String from, List<String> rawSources, String dest,
      boolean trailingSlash, Optional<String> chmod, Optional<String> chown, List<String> excludes) {
    Optional<String> image = sourceImage(i, from, stage.index());
    if (image.isEmpty()) {
      return;
    }
    List<String> sources = new ArrayList<>();
    for (String raw : rawSources) {
      String src = ev.word(raw, scope);
      if (BuildContext.isGlob(src)) {
        ev.problem(i, "COPY --from=" + from + " " + src + ": graft takes literal paths from images; name the "
            + "file or directory");
        return;
      }
      sources.add(TarPaths.clean(src.startsWith("/") ? src : "/" + src));
    }
    if (sources.size() > 1 && !trailingSlash) {
      ev.problem(i, "with more than one source, the destination must be a directory and end with a /");
      return;
    }
    settings.copies.add(new CopyStep(i.line(), i.text(), sources, dest, trailingSlash || sources.size() > 1, chmod,
        chown, excludes, image));
  }

  /** The image {@code --from} reads: an image reference, or the image an earlier, file-untouched stage starts from. */
  private Optional<String> sourceImage(Instruction i, String from, int before) {
    Optional<Stage> stage = ev.stages.find(from, before);
    if (stage.isEmpty()) {
      if (from.matches("\\d+")) {
        ev.problem(i, "COPY --from=" + from + ": there is no stage " + from + " before this one");
        return Optional.empty();
      }
      return Optional.of(from);
    }
    Stage s = stage.get();
    for (Instruction x : s.body()) {
      String k = x.keyword();
      if ((k.equals("RUN") || k.equals("COPY") || k.equals("ADD")) && ev.in.ignore().match(x).isEmpty()) {
        String what = k.equals("RUN") ? "runs commands" : "copies files into it";
        ev.problem(i, "COPY --from=" + from + " cannot be honoured: " + s.label() + " " + what + " ("
            + ev.df.name() + ":" + x.line() + ": " + abbreviate(x.text()) + "), and graft runs no build stage. Take "
            + "the files from an image that has them instead: 'builder: IMAGE' and a layer '- {name: NAME, from: "
            + "builder, paths: [/path]}' in graft.yaml, or make them before the build (CI) and COPY them from the "
            + "app directory");
        return Optional.empty();
      }
    }
    String image;
    try {
      image = ev.word(s.image(), ev.global);
    } catch (ShellWords.WordException e) {
      ev.problem(i, "COPY --from=" + from + ": " + s.label() + "'s FROM " + s.image() + ": " + e.getMessage());
      return Optional.empty();
    }
    Optional<Stage> parent = ev.stages.find(image, s.index());
    return parent.isPresent() ? sourceImage(i, parent.get().name().orElse(String.valueOf(parent.get().index())),
        s.index()) : Optional.of(image);
  }

  private static boolean isRemote(String src) {
    String s = src.toLowerCase(Locale.ROOT);
    return s.startsWith("http://") || s.startsWith("https://") || s.startsWith("git@") || s.startsWith("git://")
        || s.startsWith("ssh://");
  }

  private static String abbreviate(String text) {
    String t = text.replaceAll("\\s+", " ");
    return t.length() > 60 ? t.substring(0, 57) + "…" : t;
  }
}
