package dev.graft.assemble;

import dev.graft.config.LayerSpec;
import dev.graft.oci.Platform;
import java.util.concurrent.Callable;

/**
 * The named steps of one platform's build: each is announced to the listener as it starts
 * ("resolve base", "select files of layer 'deps' (graft.yaml:12)", "verify"), and its failure is
 * worded "failed to STEP for PLATFORM[ (DETAIL)]: cause", so the one-line error says where the
 * build stopped. A failure that already names its step passes through unchanged.
 */
record Steps(Platform platform, BuildListener listener) {

  /** "layer 'deps' (graft.yaml:12)": a layer in step names and messages. */
  static String layer(LayerSpec spec) {
    return "layer '" + spec.name() + "' (" + spec.origin() + ")";
  }

  /** Announces step {@code name} (with {@code detail}, or null), runs it, and names it in its failure. */
  <T> T run(String name, String detail, Callable<T> body) {
    announce(name, detail);
    return unannounced(name, detail, body);
  }

  /** Tells the listener that step {@code name} starts (or, worded so, what a step decided). */
  void announce(String name, String detail) {
    listener.stepStarted(platform, name, detail == null ? "" : detail);
  }

  /** Runs part of step {@code name} that was announced already, naming the step in its failure. */
  <T> T unannounced(String name, String detail, Callable<T> body) {
    try {
      return body.call();
    } catch (BuildException e) {
      throw e;
    } catch (Exception e) {
      throw new BuildException(name, platform + (detail == null ? "" : " (" + detail + ")"), e);
    }
  }

  /** A failure of step {@code name} found outside its body. */
  BuildException failed(String name, String message) {
    return new BuildException(name, platform.toString(), message);
  }
}
