package dev.graft.oci;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Waiting for work handed to another thread, with its failure as the worker threw it: callers
 * catch the same {@link IOException}s and runtime exceptions they would had the work run on
 * their own thread, not an {@link ExecutionException} wrapped around them.
 */
public final class Futures {
  private Futures() {}

  /**
   * {@code f}'s result. A worker's IOException, RuntimeException or Error is rethrown as it was
   * thrown (anything else checked is wrapped in an IOException); an interrupt of the waiting
   * thread keeps the thread's interrupt flag and becomes an {@link InterruptedIOException} saying
   * "{@code what} interrupted".
   */
  public static <T> T await(Future<T> f, String what) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(what + " interrupted");
    } catch (ExecutionException e) {
      throw rethrown(e.getCause());
    }
  }

  /**
   * A pool of {@code threads} daemon threads named {@code name}: work still running when a command
   * ends (it failed, or was interrupted) never keeps the JVM alive.
   */
  public static ExecutorService daemonPool(String name, int threads) {
    return Executors.newFixedThreadPool(Math.max(1, threads), r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  private static IOException rethrown(Throwable cause) {
    if (cause instanceof IOException io) {
      return io;
    }
    if (cause instanceof RuntimeException re) {
      throw re;
    }
    if (cause instanceof Error err) {
      throw err;
    }
    return new IOException(cause);
  }
}
