package org.hesspec.spectral;

import java.util.List;
import java.util.function.IntFunction;
import org.hesspec.curvature.LinearOperator;

/**
 * Hutchinson's trace estimator (Hutchinson, "A stochastic estimator of the trace of the influence
 * matrix for Laplacian smoothing splines", 1990): for probes {@code z} with {@code E z z^T = I},
 * {@code E z^T A z = tr(A)}, so {@code (1/N) sum_i z_i^T A z_i} is unbiased, with variance {@code
 * 2 ||A||_F^2 / N} minus the diagonal's share for Rademacher probes (Avron and Toledo, J. ACM 58,
 * 2011).
 */
public final class Hutchinson {
  private Hutchinson() {}

  public static TraceEstimate estimate(LinearOperator a, TraceConfig config) {
    return estimate(RunOptions.single(a), config, RunOptions.sequential());
  }

  /** Probes spread over {@code options.threads()} workers; the result does not depend on them. */
  public static TraceEstimate estimate(
      IntFunction<LinearOperator> operators, TraceConfig config, RunOptions options) {
    ProgressTracker progress =
        new ProgressTracker("hutchinson", config.samples(), 1, options.listener());
    List<Double> values =
        ParallelRuns.map(
            config.samples(),
            options.threads(),
            operators,
            (a, i) -> {
              double value = quadraticForm(a, config.distribution(), Seeds.derive(config.seed(), i));
              progress.step(i, 1);
              return value;
            });
    double[] ms =
        TraceEstimate.meanAndStandardError(values.stream().mapToDouble(Double::doubleValue).toArray());
    return new TraceEstimate("hutchinson", ms[0], ms[1], config.samples(), config);
  }

  /** {@code z^T A z} for the raw probe {@code z} drawn with {@code seed}. */
  static double quadraticForm(LinearOperator a, StartVector distribution, long seed) {
    double[] z = new double[a.dimension()];
    distribution.fillRaw(z, seed);
    return Vectors.dot(z, a.apply(z));
  }
}
