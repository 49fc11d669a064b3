package dev.graft.assemble;

import dev.graft.config.LayerSpec;
import dev.graft.config.SpecialFiles;
import dev.graft.layer.EntryMetadata;
import dev.graft.layer.EntryType;
import dev.graft.layer.LayerEntry;
import dev.graft.oci.Printable;
import java.util.List;

/**
 * Refuses device nodes and FIFOs in what a layer takes from an image, unless the layer says
 * {@code specialFiles: keep}: a block device such as {@code /app/sda} grafted from a hostile builder
 * gives a container running as root a way to the host's disk where its runtime does not mask
 * devices, and no Node.js service needs one from its build stage.
 */
final class SpecialFileCheck {
  private SpecialFileCheck() {}

  /** @throws IllegalArgumentException naming every special file and the fix */
  static void check(List<LayerEntry> entries, LayerSpec spec, String sourceName) {
    if (spec.specialFiles() == SpecialFiles.KEEP) {
      return;
    }
    List<String> special = entries.stream().filter(e -> isSpecial(e.metadata().type()))
        .map(SpecialFileCheck::describe).toList();
    if (special.isEmpty()) {
      return;
    }
    throw new IllegalArgumentException(sourceName + " has " + (special.size() == 1 ? "a device node or FIFO"
        : special.size() + " device nodes or FIFOs") + " in what this layer takes: "
        + String.join(", ", special.subList(0, Math.min(10, special.size())))
        + (special.size() > 10 ? " and " + (special.size() - 10) + " more" : "")
        + "; leave them out with 'exclude', or set 'specialFiles: keep' on the layer if the image needs them");
  }

  static boolean isSpecial(EntryType t) {
    return t == EntryType.CHAR || t == EntryType.BLOCK || t == EntryType.FIFO;
  }

  private static String describe(LayerEntry e) {
    EntryMetadata m = e.metadata();
    return Printable.path(e.path()) + " (" + switch (m.type()) {
      case CHAR -> "character device " + m.devMajor() + "," + m.devMinor();
      case BLOCK -> "block device " + m.devMajor() + "," + m.devMinor();
      default -> "FIFO";
    } + ")";
  }
}
