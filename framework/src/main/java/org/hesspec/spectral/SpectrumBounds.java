package org.hesspec.spectral;

import org.hesspec.curvature.LinearOperator;

/**
 * An interval expected to hold the spectrum of a symmetric operator, from a short Lanczos run.
 *
 * <p>The extreme Ritz values {@code theta_min <= theta_max} of an m-step run lie inside the
 * spectrum and converge to its ends first (Kaniel-Paige-Saad theory). Each Ritz pair {@code
 * (theta, y)} has residual {@code ||A y - theta y|| = beta_{m-1} |s_{m-1}|}, with {@code s} the
 * eigenvector of {@code T_m}, and some eigenvalue lies within that residual of {@code theta}. The
 * bounds {@code [theta_min - r_min, theta_max + r_max]} are the ones of Lin, Saad and Yang
 * ("Approximating spectral densities of large matrices", SIAM Review 58, 2016, sec. 3) and of
 * Papyan (2019): not rigorous, but the extreme Ritz values converge fast and the residual
 * overestimates their distance to the ends by far; density estimates add a margin on top.
 *
 * @param lower {@code ritzMin - residualMin}
 * @param upper {@code ritzMax + residualMax}
 * @param ritzMin the smallest Ritz value
 * @param ritzMax the largest Ritz value
 * @param residualMin the residual norm of the smallest Ritz pair
 * @param residualMax the residual norm of the largest Ritz pair
 * @param steps the Lanczos steps taken
 * @param seed the seed of the start vector
 */
public record SpectrumBounds(
    double lower,
    double upper,
    double ritzMin,
    double ritzMax,
    double residualMin,
    double residualMax,
    int steps,
    long seed) {

  /** Default number of Lanczos steps of the bound estimate. */
  public static final int DEFAULT_STEPS = 30;

  /** Estimates the bounds with {@code steps} steps of plain Lanczos from a Gaussian start. */
  public static SpectrumBounds estimate(LinearOperator a, int steps, long seed) {
    return fromLanczos(Lanczos.run(a, LanczosConfig.plain(steps, seed)));
  }

  /** The bounds implied by a finished Lanczos run. */
  public static SpectrumBounds fromLanczos(LanczosResult run) {
    TridiagonalEigen.Decomposition eig = run.eigen(false);
    int m = eig.size();
    double residual = run.residualNorm();
    double rMin = Math.abs(residual * eig.lastComponents()[0]);
    double rMax = Math.abs(residual * eig.lastComponents()[m - 1]);
    double tMin = eig.eigenvalues()[0];
    double tMax = eig.eigenvalues()[m - 1];
    return new SpectrumBounds(
        tMin - rMin, tMax + rMax, tMin, tMax, rMin, rMax, run.steps(), run.config().seed());
  }

  /** {@code upper - lower}. */
  public double width() {
    return upper - lower;
  }
}
