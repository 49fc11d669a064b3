package dev.graft.verify.loader;

import dev.graft.elf.ElfFile;
import dev.graft.elf.ElfMachine;
import java.util.Objects;

/**
 * What every object in one process must share: machine, word size and (ARM) float ABI. glibc's
 * loader skips a library that differs and searches on; musl's fails to map it.
 */
public record ProcessIdentity(ElfMachine machine, int bits, boolean armHardFloat) {
  public ProcessIdentity {
    Objects.requireNonNull(machine, "machine");
  }

  /** The identity of the process an executable (or an addon, for its host process) starts. */
  public static ProcessIdentity of(ElfFile elf) {
    ElfMachine m = elf.knownMachine()
        .orElseThrow(() -> new IllegalArgumentException(elf.name() + ": unknown machine " + elf.machine()));
    return new ProcessIdentity(m, elf.bits(), elf.isArmHardFloat());
  }

  /** Why {@code elf} cannot join this process, or null if it can. */
  public String mismatch(ElfFile elf) {
    if (elf.machine() != machine.code()) {
      return "built for " + elf.machineName() + ", not " + machine.unameName();
    }
    if (elf.bits() != bits) {
      return elf.bits() + "-bit, not " + bits + "-bit";
    }
    if (machine == ElfMachine.ARM && elf.isArmHardFloat() != armHardFloat) {
      return (elf.isArmHardFloat() ? "hard-float" : "soft-float") + " ARM ABI, not "
          + (armHardFloat ? "hard-float (armhf)" : "soft-float (armel)");
    }
    return null;
  }
}
