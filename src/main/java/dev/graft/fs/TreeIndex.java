package dev.graft.fs;

import dev.graft.layer.Bytes;
import dev.graft.layer.EntryMetadata;
import dev.graft.layer.EntryType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;

/**
 * The nodes of a merged filesystem in a compact form: a node is an int, its fields live in
 * parallel primitive arrays, names and link targets are UTF-8 in one byte pool, and a directory's
 * children are found by (parent, name) in an open-addressing table. About 70 bytes a node instead
 * of ~570 for a map of path strings to records, so an image of a million entries is read in well
 * under a hundred megabytes. {@link TreeEntry} records are made only when asked for. Rare fields
 * (device numbers, xattrs, ids over 2^31) sit in side maps. Not thread-safe while being built;
 * read-only afterwards ({@link #freeze} sorts every directory's children by name).
 */
final class TreeIndex {
  static final int ROOT = 0;
  private static final EntryType[] TYPES = EntryType.values();

  private int count; // ids handed out, live or removed
  private int live;
  private int[] parent = new int[1024];
  private int[] name = new int[1024]; // offset into pool
  private int[] link = new int[1024]; // offset into pool, or -1
  private byte[] type = new byte[1024];
  private short[] mode = new short[1024];
  private int[] uid = new int[1024];
  private int[] gid = new int[1024];
  private long[] size = new long[1024];
  private short[] contentLayer = new short[1024]; // -1: no content
  private int[] contentOrdinal = new int[1024];
  private short[] addedIn = new short[1024]; // the layer that last put the node (-1: implied)
  private int[] firstChild = new int[1024];
  private int[] nextSibling = new int[1024];
  private int[] prevSibling = new int[1024];
  private final Map<Integer, int[]> devices = new HashMap<>();
  private final Map<Integer, SortedMap<String, Bytes>> xattrs = new HashMap<>();
  private final Map<Integer, long[]> largeIds = new HashMap<>();
  private final NamePool pool = new NamePool();
  private int[] slots = new int[2048]; // child table: id + 1, 0 = empty
  private boolean frozen;

  TreeIndex() {
    add(-1, "", new TreeEntry("/", EntryMetadata.directory(0755, 0, 0), null), -1);
  }

  int size() {
    return live;
  }

  // --- reading ---------------------------------------------------------------------------------

  /** The node at this clean absolute path, or -1; symlinks are not followed. */
  int find(String path) {
    if (path.equals("/")) {
      return ROOT;
    }
    int id = ROOT;
    int start = 1;
    while (id >= 0 && start <= path.length()) {
      int slash = path.indexOf('/', start);
      int end = slash < 0 ? path.length() : slash;
      id = child(id, path.substring(start, end));
      start = end + 1;
    }
    return id;
  }

  /** The child of {@code dir} named {@code childName}, or -1. */
  int child(int dir, String childName) {
    byte[] want = childName.getBytes(StandardCharsets.UTF_8);
    int mask = slots.length - 1;
    for (int i = hash(dir, want, 0, want.length) & mask; slots[i] != 0; i = (i + 1) & mask) {
      int id = slots[i] - 1;
      if (parent[id] == dir && pool.equals(name[id], want)) {
        return id;
      }
    }
    return -1;
  }

  EntryType type(int id) {
    return TYPES[type[id]];
  }

  String name(int id) {
    return pool.get(name[id]);
  }

  int parent(int id) {
    return parent[id];
  }

  String path(int id) {
    if (id == ROOT) {
      return "/";
    }
    StringBuilder sb = new StringBuilder();
    appendPath(sb, id);
    return sb.toString();
  }

  private void appendPath(StringBuilder sb, int id) {
    if (parent[id] != ROOT) {
      appendPath(sb, parent[id]);
    }
    sb.append('/').append(pool.get(name[id]));
  }

  /** The symlink text of a symlink, else null. */
  String symlinkTarget(int id) {
    return type[id] == EntryType.SYMLINK.ordinal() ? pool.get(link[id]) : null;
  }

  int addedIn(int id) {
    return addedIn[id];
  }

  int firstChild(int id) {
    return firstChild[id];
  }

  int nextSibling(int id) {
    return nextSibling[id];
  }

  /** The node as a record, at {@code path} (the caller knows it; see {@link #path}). */
  TreeEntry node(int id, String path) {
    int[] dev = devices.get(id);
    long[] ids = largeIds.get(id);
    ContentRef content = contentLayer[id] < 0 ? null : new ContentRef(contentLayer[id], contentOrdinal[id]);
    return new TreeEntry(path, new EntryMetadata(TYPES[type[id]], mode[id], ids != null ? ids[0] : uid[id],
        ids != null ? ids[1] : gid[id], size[id], link[id] < 0 ? "" : pool.get(link[id]), dev == null ? 0 : dev[0],
        dev == null ? 0 : dev[1], xattrs.get(id)), content);
  }

  /** For each layer, the ordinals of its entries that are some node's content (hardlinks share one). */
  java.util.BitSet[] contents(int layers) {
    java.util.BitSet[] out = new java.util.BitSet[layers];
    for (int i = 0; i < layers; i++) {
      out[i] = new java.util.BitSet();
    }
    for (int id = 0; id < count; id++) {
      if (parent[id] != -2 && contentLayer[id] >= 0) {
        out[contentLayer[id]].set(contentOrdinal[id]);
      }
    }
    return out;
  }

  // --- building --------------------------------------------------------------------------------

  /** Adds {@code n}'s metadata as a new child {@code childName} of {@code dir}; its id. */
  int add(int dir, String childName, TreeEntry n, int layer) {
    if (frozen) {
      throw new IllegalStateException("tree is read-only");
    }
    if (count == parent.length) {
      grow();
    }
    int id = count++;
    live++;
    parent[id] = dir;
    name[id] = pool.add(childName);
    firstChild[id] = -1;
    nextSibling[id] = -1;
    prevSibling[id] = -1;
    set(id, n, layer);
    if (dir >= 0) {
      int first = firstChild[dir];
      nextSibling[id] = first;
      if (first >= 0) {
        prevSibling[first] = id;
      }
      firstChild[dir] = id;
      if (live * 2 > slots.length) {
        rehash(slots.length * 2);
      }
      insertSlot(id);
    }
    return id;
  }

  /** Replaces a node's metadata (its name, place and children stay). */
  void set(int id, TreeEntry entry, int layer) {
    EntryMetadata n = entry.metadata();
    type[id] = (byte) n.type().ordinal();
    mode[id] = (short) (n.mode() & 07777);
    if (n.uid() > Integer.MAX_VALUE || n.gid() > Integer.MAX_VALUE) {
      largeIds.put(id, new long[] {n.uid(), n.gid()});
    } else {
      largeIds.remove(id);
      uid[id] = (int) n.uid();
      gid[id] = (int) n.gid();
    }
    size[id] = n.size();
    link[id] = n.linkTarget().isEmpty() ? -1 : pool.add(n.linkTarget());
    if (n.devMajor() != 0 || n.devMinor() != 0) {
      devices.put(id, new int[] {n.devMajor(), n.devMinor()});
    } else {
      devices.remove(id);
    }
    if (n.xattrs().isEmpty()) {
      xattrs.remove(id);
    } else {
      xattrs.put(id, n.xattrs());
    }
    ContentRef c = entry.content();
    if (c != null && (c.layer() > Short.MAX_VALUE || c.ordinal() > Integer.MAX_VALUE)) {
      throw new IllegalArgumentException("over " + Short.MAX_VALUE + " layers or " + Integer.MAX_VALUE
          + " entries in a layer");
    }
    contentLayer[id] = c == null ? -1 : (short) c.layer();
    contentOrdinal[id] = c == null ? 0 : (int) c.ordinal();
    addedIn[id] = (short) layer;
  }

  /** Takes a childless node out of the tree. */
  void remove(int id) {
    if (firstChild[id] >= 0) {
      throw new IllegalStateException(path(id) + " still has children");
    }
    int p = parent[id];
    int prev = prevSibling[id];
    int next = nextSibling[id];
    if (prev >= 0) {
      nextSibling[prev] = next;
    } else {
      firstChild[p] = next;
    }
    if (next >= 0) {
      prevSibling[next] = prev;
    }
    deleteSlot(id);
    parent[id] = -2; // removed
    live--;
    xattrs.remove(id);
    devices.remove(id);
    largeIds.remove(id);
  }

  /** Sorts every directory's children by name (UTF-8 byte order) and makes the index read-only. */
  void freeze() {
    if (frozen) {
      return;
    }
    frozen = true;
    int[] buffer = new int[16];
    for (int dir = 0; dir < count; dir++) {
      if (parent[dir] == -2 || firstChild[dir] < 0) {
        continue;
      }
      int n = 0;
      for (int c = firstChild[dir]; c >= 0; c = nextSibling[c]) {
        if (n == buffer.length) {
          buffer = Arrays.copyOf(buffer, n * 2);
        }
        buffer[n++] = c;
      }
      Integer[] sorted = new Integer[n];
      for (int i = 0; i < n; i++) {
        sorted[i] = buffer[i];
      }
      Arrays.sort(sorted, (a, b) -> pool.compare(name[a], name[b]));
      firstChild[dir] = sorted[0];
      for (int i = 0; i < n; i++) {
        prevSibling[sorted[i]] = i == 0 ? -1 : sorted[i - 1];
        nextSibling[sorted[i]] = i == n - 1 ? -1 : sorted[i + 1];
      }
    }
  }

  // --- internals -------------------------------------------------------------------------------

  private void grow() {
    int n = parent.length * 2;
    parent = Arrays.copyOf(parent, n);
    name = Arrays.copyOf(name, n);
    link = Arrays.copyOf(link, n);
    type = Arrays.copyOf(type, n);
    mode = Arrays.copyOf(mode, n);
    uid = Arrays.copyOf(uid, n);
    gid = Arrays.copyOf(gid, n);
    size = Arrays.copyOf(size, n);
    contentLayer = Arrays.copyOf(contentLayer, n);
    contentOrdinal = Arrays.copyOf(contentOrdinal, n);
    addedIn = Arrays.copyOf(addedIn, n);
    firstChild = Arrays.copyOf(firstChild, n);
    nextSibling = Arrays.copyOf(nextSibling, n);
    prevSibling = Arrays.copyOf(prevSibling, n);
  }

  private int slotHash(int id) {
    return pool.hash(name[id], parent[id]);
  }

  static int hash(int dir, byte[] b, int off, int len) {
    int h = dir * 0x9E3779B1;
    for (int i = off; i < off + len; i++) {
      h = (h ^ (b[i] & 0xff)) * 0x01000193;
    }
    return h ^ (h >>> 16);
  }

  private void insertSlot(int id) {
    int mask = slots.length - 1;
    int i = slotHash(id) & mask;
    while (slots[i] != 0) {
      i = (i + 1) & mask;
    }
    slots[i] = id + 1;
  }

  /** Linear probing's deletion by backward shift: no tombstones, so lookups stay short. */
  private void deleteSlot(int id) {
    int mask = slots.length - 1;
    int i = slotHash(id) & mask;
    while (slots[i] != id + 1) {
      i = (i + 1) & mask;
    }
    int hole = i;
    for (int j = (hole + 1) & mask; slots[j] != 0; j = (j + 1) & mask) {
      int home = slotHash(slots[j] - 1) & mask;
      // move j into the hole when its home is not cyclically within (hole, j]
      if (hole <= j ? home <= hole || home > j : home <= hole && home > j) {
        slots[hole] = slots[j];
        hole = j;
      }
    }
    slots[hole] = 0;
  }

  private void rehash(int capacity) {
    slots = new int[capacity];
    for (int id = 1; id < count; id++) {
      if (parent[id] >= 0) {
        insertSlot(id);
      }
    }
  }
}
