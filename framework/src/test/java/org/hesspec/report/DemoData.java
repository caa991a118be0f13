package org.hesspec.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Synthetic spectra shaped like the paper's (a bulk near zero with a power-law tail, C outliers
 * far to the right, a few small negative eigenvalues), for rendering tests and the demo.
 */
final class DemoData {

  private DemoData() {}

  static final int CLASSES = 10;

  /** Eigenvalues: a heavy-tailed bulk, a negative part and {@code CLASSES} outliers. */
  static double[] eigenvalues(long seed, double outlierScale) {
    Random r = new Random(seed);
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      // Pareto tail with exponent 2.5 above 1e-3, so the bulk edge sits near 1.
      values.add(1e-3 * Math.pow(1 - r.nextDouble(), -1 / 1.5));
    }
    for (int i = 0; i < 300; i++) {
      values.add(-Math.abs(r.nextGaussian()) * 0.05);
    }
    for (int c = 0; c < CLASSES; c++) {
      values.add(outlierScale * (1 + c * 0.8) * (1 + 0.1 * r.nextGaussian()));
    }
    return values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
  }

  /** A Gaussian-kernel density of {@code values} on a grid of {@code points} over their range. */
  static Curve density(String label, double[] values, double sigma, int points) {
    double lo = values[0] - 4 * sigma;
    double hi = values[values.length - 1] + 4 * sigma;
    double[] x = new double[points];
    double[] y = new double[points];
    for (int i = 0; i < points; i++) {
      x[i] = lo + (hi - lo) * i / (points - 1);
      double sum = 0;
      for (double v : values) {
        double z = (x[i] - v) / sigma;
        sum += Math.exp(-0.5 * z * z);
      }
      y[i] = sum / (values.length * sigma * Math.sqrt(2 * Math.PI));
    }
    return new Curve(label, x, y);
  }

  /** The density of log10|λ| of the values of one sign. */
  static Curve logDensity(String label, double[] values, boolean positive, int points) {
    double[] logs =
        java.util.Arrays.stream(values)
            .filter(v -> positive ? v > 0 : v < 0)
            .map(v -> Math.log10(Math.abs(v)))
            .toArray();
    double[] d = density(label, logs, 0.1, points).y();
    double[] x = density(label, logs, 0.1, points).x();
    // Weight by the part's share, so the two parts together integrate to one.
    double share = (double) logs.length / values.length;
    for (int i = 0; i < d.length; i++) {
      d[i] *= share;
    }
    return new Curve(label, x, d);
  }

  /** The largest k values, largest first. */
  static double[] top(double[] sortedAscending, int k) {
    double[] top = new double[k];
    for (int i = 0; i < k; i++) {
      top[i] = sortedAscending[sortedAscending.length - 1 - i];
    }
    return top;
  }
}
