package dev.graft.verify.loader;

import java.util.regex.Pattern;

/**
 * The files of one glibc release that call each other through {@code GLIBC_PRIVATE} (ld.so, libc,
 * libm, libpthread, librt, libdl, …): replacing some and keeping others of another release breaks
 * whoever loads the mix (bullseye's librt-2.31 with bookworm's libpthread stub kills timeout and
 * apt-get), so they are replaced together or not at all. libcrypt is libxcrypt's, not glibc's.
 */
public final class GlibcUnit {
  private static final Pattern MEMBER = Pattern.compile("ld-linux[-a-z0-9_.]*\\.so\\.\\d|ld64\\.so\\.\\d"
      + "|lib(c|m|mvec|pthread|dl|rt|util|anl|resolv|nsl|BrokenLocale|thread_db)\\.so\\.\\d+|libnss_[a-z0-9]+\\.so\\.2");

  private GlibcUnit() {}

  /** Whether a library's load name ({@code libpthread.so.0}, {@code ld-linux-x86-64.so.2}) is one of glibc's. */
  public static boolean member(String fileName) {
    return MEMBER.matcher(fileName).matches();
  }
}
