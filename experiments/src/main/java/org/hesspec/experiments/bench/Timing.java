package org.hesspec.experiments.bench;

import java.util.Arrays;

/**
 * Median, min and max of repeated measurements (seconds, or a rate or ratio per sample), and how
 * many there were.
 */
public record Timing(double median, double min, double max, int runs) {

  /** Times {@code action}: warm-up runs, then {@code runs} timed runs, in seconds. */
  public static Timing of(Runnable action, int warmup, int runs) {
    for (int i = 0; i < warmup; i++) {
      action.run();
    }
    double[] t = new double[runs];
    for (int i = 0; i < runs; i++) {
      t[i] = seconds(action);
    }
    return of(t);
  }

  /** The wall time of one run of {@code action}, in seconds. */
  public static double seconds(Runnable action) {
    long t0 = System.nanoTime();
    action.run();
    return (System.nanoTime() - t0) / 1e9;
  }

  /** Median (mean of the middle two for an even count), min and max of {@code samples} (NaN for none). */
  public static Timing of(double[] samples) {
    if (samples.length == 0) {
      return new Timing(Double.NaN, Double.NaN, Double.NaN, 0);
    }
    double[] t = samples.clone();
    Arrays.sort(t);
    int n = t.length;
    double median = n % 2 == 1 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
    return new Timing(median, t[0], t[n - 1], n);
  }

  /** A single measured value (e.g. a whole density run, or memory in MiB). */
  public static Timing single(double value) {
    return new Timing(value, value, value, 1);
  }

  /** The type-7 (linear interpolation) quantile q in [0, 1] of {@code values}. */
  public static double quantile(double[] values, double q) {
    double[] x = values.clone();
    Arrays.sort(x);
    double h = (x.length - 1) * q;
    int lo = (int) Math.floor(h);
    int hi = Math.min(x.length - 1, lo + 1);
    return x[lo] + (h - lo) * (x[hi] - x[lo]);
  }
}
