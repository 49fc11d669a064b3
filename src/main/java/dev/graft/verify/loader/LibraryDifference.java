package dev.graft.verify.loader;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the base's library defines that the builder's does not (symbol versions, then symbols),
 * and how much more the builder's defines.
 */
public record LibraryDifference(List<String> lackVersions, List<String> lackSymbols, int moreVersions, int moreSymbols,
    Optional<String> soname) {
  /** How many lacking names a message shows before "and N more". */
  private static final int SHOWN = 5;

  public List<String> lacks() {
    List<String> out = new ArrayList<>(lackVersions);
    out.addAll(lackSymbols);
    return out;
  }

  public String lackText() {
    List<String> all = lacks();
    String kinds = lackVersions.isEmpty() ? "symbol" : lackSymbols.isEmpty() ? "version" : "version/symbol";
    return String.join(", ", all.subList(0, Math.min(SHOWN, all.size())))
        + (all.size() > SHOWN ? " and " + (all.size() - SHOWN) + " more" : "")
        + " (" + all.size() + " " + kinds + (all.size() == 1 ? "" : "s") + " the base's defines)";
  }

  public String extra() {
    if (moreVersions == 0 && moreSymbols == 0) {
      return "";
    }
    return " and " + (moreVersions > 0 ? moreVersions + " version(s)" + (moreSymbols > 0 ? ", " : "") : "")
        + (moreSymbols > 0 ? moreSymbols + " symbol(s)" : "") + " more";
  }
}
