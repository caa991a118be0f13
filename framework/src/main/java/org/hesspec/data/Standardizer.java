package org.hesspec.data;

import java.util.Arrays;

/**
 * Standardisation {@code x -> (x - mean) / std}, fitted on one data set (the training split) and
 * applied unchanged to others (the test split), so that test data never leaks into the statistics.
 *
 * <p>{@link Mode#PER_FEATURE} keeps one mean and standard deviation per value of an example
 * ({@code prod(exampleShape)} of them); {@link Mode#PER_CHANNEL} keeps one per channel, the last
 * axis of the example shape (3 for RGB images), pooled over all pixels. The standard deviation is
 * the population one (divide by the count). A feature or channel that is constant on the fitting
 * data (the always-black border pixels of MNIST) gets std 1 instead of 0, so it maps to a
 * constant instead of NaN.
 *
 * @param mode how statistics are pooled
 * @param exampleShape the example shape it was fitted on; it applies only to that shape
 * @param mean the means (length = number of statistics)
 * @param std the standard deviations, all positive
 */
public record Standardizer(Mode mode, int[] exampleShape, float[] mean, float[] std) {

  /** How statistics are pooled. */
  public enum Mode {
    /** One mean and std per value of an example. */
    PER_FEATURE,
    /** One mean and std per channel (last axis). */
    PER_CHANNEL
  }

  /** Fits the statistics on {@code data} (computed in double precision). */
  public static Standardizer fit(Dataset data, Mode mode) {
    int m = statistics(data.exampleShape(), mode);
    float[] f = data.features();
    if (f.length == 0) {
      throw new DataException(data.name() + ": cannot fit standardisation on an empty data set");
    }
    long count = f.length / m;
    // Two passes (mean, then squared deviations) in double: no cancellation, whatever the offset.
    double[] sum = new double[m];
    for (int i = 0; i < f.length; i++) {
      sum[i % m] += f[i];
    }
    double[] mu = new double[m];
    for (int j = 0; j < m; j++) {
      mu[j] = sum[j] / count;
    }
    double[] sq = new double[m];
    for (int i = 0; i < f.length; i++) {
      double d = f[i] - mu[i % m];
      sq[i % m] += d * d;
    }
    float[] mean = new float[m];
    float[] std = new float[m];
    for (int j = 0; j < m; j++) {
      mean[j] = (float) mu[j];
      double s = Math.sqrt(sq[j] / count);
      std[j] = s > 1e-12 ? (float) s : 1f;
    }
    return new Standardizer(mode, data.exampleShape().clone(), mean, std);
  }

  /** {@code data} standardised with these statistics (a new data set; the input is unchanged). */
  public Dataset apply(Dataset data) {
    if (!Arrays.equals(data.exampleShape(), exampleShape)) {
      throw new DataException(data.name() + ": example shape " + Arrays.toString(data.exampleShape())
          + " differs from the shape " + Arrays.toString(exampleShape) + " the standardisation was fitted on");
    }
    int m = mean.length;
    float[] in = data.features();
    float[] out = new float[in.length];
    for (int i = 0; i < in.length; i++) {
      int j = i % m;
      out[i] = (in[i] - mean[j]) / std[j];
    }
    return new Dataset(data.name(), out, data.exampleShape(), data.labels(), data.targets(), data.targetWidth(), data.numClasses());
  }

  private static int statistics(int[] shape, Mode mode) {
    if (mode == Mode.PER_CHANNEL) {
      return shape[shape.length - 1];
    }
    int m = 1;
    for (int d : shape) {
      m *= d;
    }
    return m;
  }
}
