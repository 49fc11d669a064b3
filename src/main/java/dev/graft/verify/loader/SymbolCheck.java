package dev.graft.verify.loader;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Every undefined, non-weak symbol of every loaded object must be defined by some object of
 * the process. musl has no symbol versions, so a file built against a newer musl (Alpine 3.18's
 * 1.2.4) that uses a function 1.2.2 lacks fails only here: "Error relocating ...: symbol not found".
 */
public final class SymbolCheck {
  /** Symbols an addon takes from the node process, when node itself is not part of the check. */
  private static final List<String> NODE_PREFIXES = List.of("napi_", "node_api_", "uv_", "_ZN2v8", "_ZNK2v8",
      "_ZN4node", "_ZNK4node", "node_module_register", "_ZN8v8_inspector", "_ZNK8v8_inspector");

  private SymbolCheck() {}

  /** One symbol no loaded object defines. */
  public record MissingSymbol(String objectPath, String symbol) {
    public MissingSymbol {
      Objects.requireNonNull(objectPath, "objectPath");
      Objects.requireNonNull(symbol, "symbol");
    }
  }

  /**
   * @param hostDefined symbols the host process defines beyond the resolution (an addon's node
   *     binary); when null, an addon's node-provided names (napi_*, uv_*, V8) are assumed present
   */
  public static List<MissingSymbol> check(ElfCache elfs, LoaderResolution r, Set<String> hostDefined) {
    Set<String> scope = new HashSet<>();
    for (LoadedObject o : r.loaded()) {
      scope.addAll(elfs.symbols(o.realPath()).defined());
    }
    if (hostDefined != null) {
      scope.addAll(hostDefined);
    }
    boolean addon = r.interpreter().isEmpty();
    List<MissingSymbol> out = new ArrayList<>();
    for (LoadedObject o : r.own()) {
      for (String s : elfs.symbols(o.realPath()).undefinedStrong()) {
        if (!scope.contains(s) && !(addon && hostDefined == null && NODE_PREFIXES.stream().anyMatch(s::startsWith))) {
          out.add(new MissingSymbol(o.path(), s));
        }
      }
    }
    return out;
  }
}
