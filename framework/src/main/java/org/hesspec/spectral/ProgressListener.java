package org.hesspec.spectral;

import java.time.Duration;

/**
 * Receives progress reports; a command-line runner shows them. With several worker threads the
 * listener is called from those threads, so implementations must be thread-safe; reports are
 * serialised (never two calls at once) by the estimators.
 */
@FunctionalInterface
public interface ProgressListener {
  /** Ignores all reports. */
  ProgressListener NONE = progress -> {};

  void progress(Progress progress);

  /**
   * Passes on at most one report per {@code interval} (plus every report whose step completes a
   * run), so that a terminal is not flooded when products take milliseconds.
   */
  static ProgressListener throttled(ProgressListener target, Duration interval) {
    if (interval.isNegative()) {
      throw new IllegalArgumentException("interval must be >= 0, got " + interval);
    }
    long nanos = interval.toNanos();
    long[] last = {Long.MIN_VALUE};
    return progress -> {
      long now = System.nanoTime();
      boolean runDone = progress.step() == progress.steps();
      synchronized (last) {
        if (!runDone && last[0] != Long.MIN_VALUE && now - last[0] < nanos) {
          return;
        }
        last[0] = now;
      }
      target.progress(progress);
    };
  }
}
