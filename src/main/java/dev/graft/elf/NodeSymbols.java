package dev.graft.elf;

import java.util.List;

/**
 * What the dynamic symbol table says about Node.js native code. An N-API addon exports
 * {@code napi_register_module_v1} (and, from Node-API 9 on, {@code node_api_module_get_api_version_v1})
 * or registers itself through the imported {@code napi_module_register}; an ABI-specific addon
 * exports {@code node_register_module_v<NODE_MODULE_VERSION>} or imports V8/node internals,
 * which tie it to one Node ABI. The node binary exports the Node-API functions addons import.
 *
 * @param entryPoints exported addon entry points (only those names, sorted)
 * @param importedNodeApi undefined symbols named {@code napi_*} / {@code node_api_*}, sorted
 * @param exportedNodeApi defined symbols named {@code napi_*} / {@code node_api_*} (the node binary's
 *     Node-API), sorted, without the addon entry points
 * @param importsNodeInternals whether any undefined symbol is a V8 or node C++ symbol, or
 *     {@code node_module_register}
 * @param declaredNodeApiVersion the Node-API version the addon declares through
 *     {@code node_api_module_get_api_version_v1} (its constant return value), or -1 when it
 *     declares none or its code is not a plain constant
 */
public record NodeSymbols(List<String> entryPoints, List<String> importedNodeApi, List<String> exportedNodeApi,
    boolean importsNodeInternals, int declaredNodeApiVersion) {
  public static final NodeSymbols NONE = new NodeSymbols(List.of(), List.of(), List.of(), false, -1);
  /** The function by which an addon declares its Node-API version (Node 20+ reads it while loading). */
  public static final String GET_API_VERSION = "node_api_module_get_api_version_v1";

  public NodeSymbols(List<String> entryPoints, List<String> importedNodeApi, List<String> exportedNodeApi,
      boolean importsNodeInternals) {
    this(entryPoints, importedNodeApi, exportedNodeApi, importsNodeInternals, -1);
  }

  public NodeSymbols {
    entryPoints = List.copyOf(entryPoints);
    importedNodeApi = List.copyOf(importedNodeApi);
    exportedNodeApi = List.copyOf(exportedNodeApi);
  }

  /** Whether a symbol name is an addon entry point graft records. */
  static boolean isEntryPoint(String name) {
    return name.startsWith("napi_register_module_v")
        || name.startsWith("node_api_module_get_api_version_v")
        || name.startsWith("node_register_module_v");
  }

  static boolean isNodeApi(String name) {
    return name.startsWith("napi_") || name.startsWith("node_api_");
  }

  public boolean importsNodeApi() {
    return !importedNodeApi.isEmpty();
  }

  /** Whether this looks like a Node addon at all. */
  public boolean isAddon() {
    return !entryPoints.isEmpty() || importsNodeApi() || importsNodeInternals;
  }

  /** Whether the addon uses Node-API only (and so runs on any Node with a high enough Node-API version). */
  public boolean isNodeApi() {
    return !isAbiSpecific() && (importsNodeApi()
        || entryPoints.stream().anyMatch(s -> s.startsWith("napi_register_module_v")));
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
