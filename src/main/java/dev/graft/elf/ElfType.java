package dev.graft.elf;

/** {@code e_type}: what kind of object the file is. */
public enum ElfType {
  NONE, RELOCATABLE, EXECUTABLE, SHARED_OBJECT, CORE, OTHER;

  static ElfType of(int eType) {
    return switch (eType) {
      case 0 -> NONE;
      case 1 -> RELOCATABLE;
      case 2 -> EXECUTABLE;
      case 3 -> SHARED_OBJECT; // also PIE executables: tell them apart by the interpreter
      case 4 -> CORE;
      default -> OTHER;
    };
  }
}
