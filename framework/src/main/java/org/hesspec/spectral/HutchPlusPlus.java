package org.hesspec.spectral;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.hesspec.curvature.LinearOperator;

/**
 * The Hutch++ trace estimator (Meyer, Musco, Musco and Woodruff, "Hutch++: Optimal stochastic
 * trace estimation", SOSA 2021, Algorithm 1). With a budget of m products: sketch {@code Y = A S}
 * with {@code s = m/3} random columns, take an orthonormal basis {@code Q} of its range, compute
 * {@code tr(Q^T A Q)} exactly (s more products) and estimate the trace of the deflated remainder
 * {@code (I - Q Q^T) A (I - Q Q^T)} by Hutchinson with the remaining {@code m - 2s} probes:
 *
 * <pre>
 *   tr(A) ~ tr(Q^T A Q) + (1/n) sum_i g_i^T (I - QQ^T) A (I - QQ^T) g_i
 * </pre>
 *
 * The top of the spectrum, which dominates Hutchinson's variance for a Hessian with outliers, is
 * captured exactly; the error falls as 1/m instead of 1/sqrt(m) for matrices with decaying
 * spectra. The standard error is that of the Hutchinson part given the sketch. Memory: s
 * p-vectors.
 */
public final class HutchPlusPlus {
  private HutchPlusPlus() {}

  public static TraceEstimate estimate(LinearOperator a, TraceConfig config) {
    return estimate(RunOptions.single(a), config, RunOptions.sequential());
  }

  /**
   * Products spread over {@code options.threads()} workers in each of the three phases; the
   * result does not depend on them. Sketch column {@code i} uses probe seed {@code derive(seed,
   * i)}, remainder probe {@code j} uses {@code derive(seed, s + j)}.
   *
   * @throws IllegalArgumentException if {@code config.samples() < 4}
   */
  public static TraceEstimate estimate(
      IntFunction<LinearOperator> operators, TraceConfig config, RunOptions options) {
    return estimateChecked(operators, config, options);
  }

  /**
   * Checks that {@code config} is one Hutch++ can run (what {@link #estimate} would reject):
   * {@code samples >= 4}, for a sketch, its projection and at least 2 remainder probes.
   *
   * @throws IllegalArgumentException otherwise
   */
  public static void requireSamples(TraceConfig config) {
    if (config.samples() < 4) {
      throw new IllegalArgumentException(
          "Hutch++ needs samples >= 4 (sketch, projection and >= 2 remainder probes), got " + config.samples());
    }
  }

  private static TraceEstimate estimateChecked(
      IntFunction<LinearOperator> operators, TraceConfig config, RunOptions options) {
    requireSamples(config);
    int m = config.samples();
    int s = m / 3;
    int probes = m - 2 * s;
    ProgressTracker progress = new ProgressTracker("hutchpp", m, 1, options.listener());
    long seed = config.seed();
    List<double[]> sketch =
        ParallelRuns.map(
            s,
            options.threads(),
            operators,
            (a, i) -> {
              double[] z = new double[a.dimension()];
              config.distribution().fillRaw(z, Seeds.derive(seed, i));
              double[] y = a.apply(z);
              progress.step(i, 1);
              return y;
            });
    double[][] q = orthonormalBasis(sketch);
    for (int dropped = q.length; dropped < s; dropped++) {
      progress.finished(s + dropped, 0); // a dependent sketch column needs no projection product
    }
    List<Double> projected =
        ParallelRuns.map(
            q.length,
            options.threads(),
            operators,
            (a, i) -> {
              double value = Vectors.dot(q[i], a.apply(q[i]));
              progress.step(s + i, 1);
              return value;
            });
    double exactPart = 0;
    for (double v : projected) {
      exactPart += v;
    }
    List<Double> remainder =
        ParallelRuns.map(
            probes,
            options.threads(),
            operators,
            (a, j) -> {
              double[] g = new double[a.dimension()];
              config.distribution().fillRaw(g, Seeds.derive(seed, s + j));
              project(q, g);
              double value = Vectors.dot(g, a.apply(g));
              progress.step(2 * s + j, 1);
              return value;
            });
    double[] ms =
        TraceEstimate.meanAndStandardError(
            remainder.stream().mapToDouble(Double::doubleValue).toArray());
    return new TraceEstimate("hutchpp", exactPart + ms[0], ms[1], s + q.length + probes, config);
  }

  /**
   * An orthonormal basis of the span of {@code columns}, by modified Gram-Schmidt applied twice;
   * columns that fall below {@code 1e-12} of their original norm after projection are dependent
   * (the operator's rank is below s) and dropped.
   */
  static double[][] orthonormalBasis(List<double[]> columns) {
    List<double[]> basis = new ArrayList<>();
    for (double[] y : columns) {
      double original = Vectors.norm(y);
      if (!(original > 0)) {
        continue;
      }
      for (int pass = 0; pass < 2; pass++) {
        for (double[] b : basis) {
          Vectors.axpy(-Vectors.dot(b, y), b, y);
        }
      }
      double norm = Vectors.norm(y);
      if (norm > 1e-12 * original) {
        Vectors.scale(1.0 / norm, y);
        basis.add(y);
      }
    }
    return basis.toArray(new double[0][]);
  }

  /** {@code g <- (I - Q Q^T) g}, twice for orthogonality at rounding level. */
  private static void project(double[][] q, double[] g) {
    for (int pass = 0; pass < 2; pass++) {
      for (double[] b : q) {
        Vectors.axpy(-Vectors.dot(b, g), b, g);
      }
    }
  }
}
