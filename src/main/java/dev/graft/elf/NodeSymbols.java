package dev.graft.elf;

import java.util.List;

/**
 * What the dynamic symbol table says about a Node.js native addon. An N-API addon exports
 * {@code napi_register_module_v1} (and, from Node-API 9 on, {@code node_api_module_get_api_version_v1})
 * or registers itself through the imported {@code napi_module_register}; an ABI-specific addon
 * exports {@code node_register_module_v<NODE_MODULE_VERSION>} or imports V8/node internals,
 * which tie it to one Node ABI.
 *
 * @param entryPoints exported addon entry points (only those names, sorted)
 * @param importsNodeApi whether any undefined symbol starts with {@code napi_} or {@code node_api_}
 * @param importsNodeInternals whether any undefined symbol is a V8 or node C++ symbol, or
 *     {@code node_module_register}
 */
public record NodeSymbols(List<String> entryPoints, boolean importsNodeApi, boolean importsNodeInternals) {
  public static final NodeSymbols NONE = new NodeSymbols(List.of(), false, false);

  public NodeSymbols {
    entryPoints = List.copyOf(entryPoints);
  }

  /** Whether a symbol name is an addon entry point graft records. */
  static boolean isEntryPoint(String name) {
    return name.startsWith("napi_register_module_v")
        || name.startsWith("node_api_module_get_api_version_v")
        || name.startsWith("node_register_module_v");
  }

  /** Whether the addon uses Node-API (and so runs on any Node with a high enough Node-API version). */
  public boolean isNodeApi() {
    return entryPoints.stream().anyMatch(s -> s.startsWith("napi_register_module_v"))
        || (importsNodeApi && !isAbiSpecific());
  }

  /** Whether the addon is compiled against one Node ABI ({@code NODE_MODULE_VERSION}). */
  public boolean isAbiSpecific() {
    return entryPoints.stream().anyMatch(s -> s.startsWith("node_register_module_v")) || importsNodeInternals;
  }

  /** The NODE_MODULE_VERSION an ABI-specific addon exports itself for, or -1. */
  public int nodeModuleVersion() {
    for (String s : entryPoints) {
      if (s.startsWith("node_register_module_v")) {
        try {
          return Integer.parseInt(s.substring("node_register_module_v".length()));
        } catch (NumberFormatException e) {
          return -1;
        }
      }
    }
    return -1;
  }
}
