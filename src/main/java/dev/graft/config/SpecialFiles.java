package dev.graft.config;

/**
 * What a layer that takes files from an image does with device nodes and FIFOs among them
 * (graft.yaml's {@code specialFiles}). A hostile or careless builder can hold {@code /app/sda}, a
 * block device: grafted, a container running as root could open the host's disk through it when
 * its runtime does not mask devices. So they are refused unless the layer opts in.
 */
public enum SpecialFiles {
  /** The default: a selection holding a device node or FIFO is an error naming it. */
  REFUSE,
  /** Copy them as they are (the layer's author says they are wanted, e.g. a FIFO an app expects). */
  KEEP;

  public String yamlName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
