package dev.graft.npm;

/** Progress of tarball fetching, for the CLI to render (the library prints nothing). */
public interface FetchListener {
  /** A tarball was downloaded (verified) or found in the cache. */
  void fetched(LockedPackage pkg, long bytes, boolean fromCache);

  FetchListener NONE = (pkg, bytes, fromCache) -> {};
}
