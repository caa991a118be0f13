package org.hesspec.spectral;

/**
 * Parameters of a top-k eigenpair computation.
 *
 * @param k the number of eigenpairs wanted, at least 1
 * @param steps Lanczos steps M, at least k; extreme eigenvalues converge first, and with well
 *     separated outliers {@code M = 2k + 20} is usually plenty (unconverged pairs are marked, not
 *     hidden)
 * @param which which end of the spectrum
 * @param startVector the distribution of the start vector
 * @param seed the seed of the start vector
 * @param tolerance a pair counts as converged when its residual {@code ||A x - theta x||} is at
 *     most {@code tolerance} times the largest |Ritz value|; then the Ritz value is within that
 *     residual of an eigenvalue, and within {@code residual^2 / gap} when the others are a gap
 *     away (Parlett, The Symmetric Eigenvalue Problem, sec. 11-7). In (0, 1).
 * @param residuals how residuals are computed
 * @param keepVectors whether the result holds the k Ritz vectors (k p-vectors of memory)
 */
public record TopEigenConfig(
    int k,
    int steps,
    Which which,
    StartVector startVector,
    long seed,
    double tolerance,
    ResidualMethod residuals,
    boolean keepVectors) {

  /** Which end of the spectrum to compute. */
  public enum Which {
    /** The algebraically largest eigenvalues, descending. */
    LARGEST,
    /** The algebraically smallest eigenvalues, ascending. */
    SMALLEST,
    /** The eigenvalues largest in absolute value, by descending |lambda|. */
    LARGEST_MAGNITUDE
  }

  /** How the residual norms {@code ||A x - theta x||} are obtained. */
  public enum ResidualMethod {
    /** One extra product per pair: the true residual, whatever the state of the basis. */
    PRODUCT,
    /**
     * From the Lanczos relation, {@code beta_{M-1} |s_{M-1}|}: free, and accurate while the basis
     * is orthogonal (full reorthogonalisation keeps it so).
     */
    LANCZOS_RELATION
  }

  public TopEigenConfig {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
    if (steps < k) {
      throw new IllegalArgumentException("steps must be >= k = " + k + ", got " + steps);
    }
    if (which == null || startVector == null || residuals == null) {
      throw new IllegalArgumentException("which, startVector and residuals must not be null");
    }
    if (!(tolerance > 0 && tolerance < 1)) {
      throw new IllegalArgumentException("tolerance must be in (0, 1), got " + tolerance);
    }
  }

  /**
   * The largest k eigenpairs with {@code 2k + 20} steps, Gaussian start, convergence at relative
   * residual 1e-8, residuals by product, vectors kept.
   */
  public static TopEigenConfig of(int k, long seed) {
    return new TopEigenConfig(
        k, 2 * k + 20, Which.LARGEST, StartVector.GAUSSIAN, seed, 1e-8,
        ResidualMethod.PRODUCT, true);
  }

  public TopEigenConfig withSteps(int m) {
    return new TopEigenConfig(k, m, which, startVector, seed, tolerance, residuals, keepVectors);
  }

  /** The same with another convergence tolerance (relative to the largest |Ritz value|). */
  public TopEigenConfig withTolerance(double t) {
    return new TopEigenConfig(k, steps, which, startVector, seed, t, residuals, keepVectors);
  }

  public TopEigenConfig withWhich(Which w) {
    return new TopEigenConfig(k, steps, w, startVector, seed, tolerance, residuals, keepVectors);
  }

  public TopEigenConfig withResiduals(ResidualMethod r) {
    return new TopEigenConfig(k, steps, which, startVector, seed, tolerance, r, keepVectors);
  }

  public TopEigenConfig withKeepVectors(boolean keep) {
    return new TopEigenConfig(k, steps, which, startVector, seed, tolerance, residuals, keep);
  }
}
