package org.hesspec.spectral;

/**
 * A stochastic trace estimate, the rows of {@code trace.csv}.
 *
 * @param method {@code "hutchinson"} or {@code "hutchpp"}
 * @param estimate the estimate of {@code tr(A)}
 * @param standardError the estimated standard deviation of {@code estimate}: the sample standard
 *     deviation of the probe values over the square root of their number (for Hutch++, of the
 *     probes of the deflated remainder, conditional on the sketch)
 * @param samples the operator products spent
 * @param config the parameters
 */
public record TraceEstimate(
    String method, double estimate, double standardError, int samples, TraceConfig config) {

  /** Mean and standard error of the probe values. */
  static double[] meanAndStandardError(double[] values) {
    int n = values.length;
    double mean = 0;
    for (double v : values) {
      mean += v;
    }
    mean /= n;
    double ss = 0;
    for (double v : values) {
      ss += (v - mean) * (v - mean);
    }
    return new double[] {mean, Math.sqrt(ss / (n - 1) / n)};
  }
}
