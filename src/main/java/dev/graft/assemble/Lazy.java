package dev.graft.assemble;

import java.util.concurrent.Callable;

/** A value computed once, on first use (steps that may never be needed on a cached rebuild). */
final class Lazy<T> {
  private final Callable<T> body;
  private boolean done;
  private T value;

  Lazy(Callable<T> body) {
    this.body = body;
  }

  synchronized T get() {
    if (!done) {
      try {
        value = body.call();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      done = true;
    }
    return value;
  }
}
