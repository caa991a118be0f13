package org.hesspec.experiments.bench;

import java.util.Arrays;

/**
 * Wall-clock timing of a repeated action: warm-up runs, then {@code runs} timed runs; median,
 * min and max in seconds.
 */
public record Timing(double median, double min, double max, int runs) {

  /** Times {@code action}. */
  public static Timing of(Runnable action, int warmup, int runs) {
    for (int i = 0; i < warmup; i++) {
      action.run();
    }
    double[] t = new double[runs];
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      action.run();
      t[i] = (System.nanoTime() - t0) / 1e9;
    }
    Arrays.sort(t);
    double median = runs % 2 == 1 ? t[runs / 2] : (t[runs / 2 - 1] + t[runs / 2]) / 2;
    return new Timing(median, t[0], t[runs - 1], runs);
  }

  /** A single measured value (e.g. a whole density run, or memory in MiB). */
  public static Timing single(double value) {
    return new Timing(value, value, value, 1);
  }
}
