package dev.graft.buildcache;

import java.util.Objects;
import java.util.Set;

/**
 * One record of graft's local rebuild cache, carried whole: a builder selection ({@code select})
 * or a verification trace and report ({@code verify}), under its key. Its bytes are the local
 * cache file's; they are read back only through that cache's own bounded reader.
 */
public record CachedFile(String folder, String key, byte[] bytes) {
  /** The folders a build cache carries. */
  public static final Set<String> FOLDERS = Set.of("select", "verify");

  public CachedFile {
    Objects.requireNonNull(folder, "folder");
    if (!FOLDERS.contains(folder)) {
      throw new IllegalArgumentException("unknown cache folder '" + folder + "'");
    }
    CacheKeys.check(key, folder + " key");
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /** {@code folder/key}: the entry's name, unique within a record. */
  public String name() {
    return folder + "/" + key;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CachedFile f && f.folder.equals(folder) && f.key.equals(key)
        && java.util.Arrays.equals(f.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(folder, key) * 31 + java.util.Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "CachedFile[" + name() + ", " + bytes.length + " bytes]";
  }
}
