package org.hesspec.spectral;

import org.hesspec.model.Precision;

/**
 * Parameters of an extreme-eigenpair computation by thick-restart Lanczos ({@link TopEigen}).
 *
 * @param k the number of eigenpairs wanted, at least 1; with {@link Which#BOTH_ENDS} k at each end
 * @param basisSize the largest number of basis vectors kept at once, M; at least {@code w + 1}
 *     where w is the number of wanted pairs ({@link #wanted()}). Memory is {@code (M + 1) p}
 *     numbers in {@code basisPrecision}. {@link #defaultBasisSize} gives {@code max(2w + 1, w + 20)}
 * @param which which end of the spectrum
 * @param startVector the distribution of the start vector
 * @param seed the seed of the start vector (and of any vector drawn after a breakdown)
 * @param tolerance a pair counts as converged when its residual {@code ||A x - theta x||} is at
 *     most {@code tolerance} times the largest |Ritz value| the run has seen (an estimate of
 *     {@code ||A||}, whichever end is wanted); then the Ritz value is within that
 *     residual of an eigenvalue, and within {@code residual^2 / gap} when the others are a gap
 *     away (Parlett, The Symmetric Eigenvalue Problem, sec. 11-7). In (0, 1). See {@link
 *     #defaultTolerance}
 * @param maxProducts the most operator products the computation may spend (the final residual
 *     products included); at least {@code basisSize}. When they run out, the pairs reached so far
 *     are returned with unconverged ones marked
 * @param residuals how the reported residuals are computed
 * @param keepVectors whether the result holds the Ritz vectors (one p-vector per pair)
 * @param basisPrecision the precision the basis vectors are stored in: {@code FLOAT32} halves the
 *     memory of the basis; its rounding (6e-8 relative) then limits the residuals to about that
 *     level times |A|, below the float32 default tolerance
 */
public record TopEigenConfig(
    int k,
    int basisSize,
    Which which,
    StartVector startVector,
    long seed,
    double tolerance,
    int maxProducts,
    ResidualMethod residuals,
    boolean keepVectors,
    Precision basisPrecision) {

  /** Which end of the spectrum to compute. */
  public enum Which {
    /** The algebraically largest eigenvalues, descending: rank 1 is the largest. */
    LARGEST,
    /** The algebraically smallest eigenvalues, ascending: rank 1 is the most negative. */
    SMALLEST,
    /** k largest (descending) and k smallest (ascending): 2k pairs, the largest end first. */
    BOTH_ENDS,
    /** The eigenvalues largest in absolute value, by descending |lambda|. */
    LARGEST_MAGNITUDE;

    /**
     * The name in experiment files ({@code analyses.top_eigen.which}): {@code largest},
     * {@code smallest}, {@code both_ends} or {@code magnitude}.
     */
    public String yamlName() {
      return this == LARGEST_MAGNITUDE ? "magnitude" : name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** How the residual norms {@code ||A x - theta x||} are obtained. */
  public enum ResidualMethod {
    /** One extra product per pair: the true residual, whatever the state of the basis. */
    PRODUCT,
    /**
     * From the Lanczos relation, {@code beta |s_last|}: free, and accurate while the basis is
     * orthogonal (full reorthogonalisation keeps it so).
     */
    LANCZOS_RELATION
  }

  /**
   * The float64 default tolerance: 1e-8 of the largest |eigenvalue|, about eps^(1/2), so that a
   * well separated eigenvalue is accurate to eps (residual^2 / gap) and any eigenvalue to 1e-8.
   */
  public static final double FLOAT64_TOLERANCE = 1e-8;

  /**
   * The float32 default tolerance: 1e-4 of the largest |eigenvalue|. A float32 product carries
   * rounding of order {@code sqrt(n) * 6e-8 * ||A||} summed over n examples and layers, observed at
   * 1e-6 to 1e-5 relative for network Hessians; residuals cannot go below that floor, and 1e-4
   * keeps a factor 10 above it while still giving eigenvalues to 1e-4 relative (1e-8 for
   * separated ones).
   */
  public static final double FLOAT32_TOLERANCE = 1e-4;

  public TopEigenConfig {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
    if (which == null || startVector == null || residuals == null || basisPrecision == null) {
      throw new IllegalArgumentException(
          "which, startVector, residuals and basisPrecision must not be null");
    }
    int w = which == Which.BOTH_ENDS ? 2 * k : k;
    if (basisSize < w + 1) {
      throw new IllegalArgumentException(
          "basisSize must be >= " + (w + 1) + " (the " + w + " wanted pairs plus one), got "
              + basisSize);
    }
    if (!(tolerance > 0 && tolerance < 1)) {
      throw new IllegalArgumentException("tolerance must be in (0, 1), got " + tolerance);
    }
    if (maxProducts < basisSize) {
      throw new IllegalArgumentException(
          "maxProducts must be >= basisSize = " + basisSize + ", got " + maxProducts);
    }
  }

  /** The number of wanted pairs: k, or 2k at both ends. */
  public int wanted() {
    return which == Which.BOTH_ENDS ? 2 * k : k;
  }

  /** The default basis size for w wanted pairs: {@code max(2w + 1, w + 20)}. */
  public static int defaultBasisSize(int wanted) {
    return Math.max(2 * wanted + 1, wanted + 20);
  }

  /** The default product budget for a basis of M vectors: {@code 20 M} (about 20 restart cycles). */
  public static int defaultMaxProducts(int basisSize) {
    return (int) Math.min(Integer.MAX_VALUE, 20L * basisSize);
  }

  /** The default tolerance for products (and a basis) in the given precision. */
  public static double defaultTolerance(Precision precision) {
    return precision == Precision.FLOAT64 ? FLOAT64_TOLERANCE : FLOAT32_TOLERANCE;
  }

  /**
   * The largest k eigenpairs with the default basis and budget, Gaussian start, float64 tolerance
   * and basis, residuals by product, vectors kept.
   */
  public static TopEigenConfig of(int k, long seed) {
    return of(k, Which.LARGEST, seed);
  }

  /** As {@link #of(int, long)} at the given end. */
  public static TopEigenConfig of(int k, Which which, long seed) {
    int w = which == Which.BOTH_ENDS ? 2 * k : k;
    int m = defaultBasisSize(w);
    return new TopEigenConfig(
        k, m, which, StartVector.GAUSSIAN, seed, FLOAT64_TOLERANCE, defaultMaxProducts(m),
        ResidualMethod.PRODUCT, true, Precision.FLOAT64);
  }

  /** The same with another basis size; the product budget grows to at least M if needed. */
  public TopEigenConfig withBasisSize(int m) {
    return new TopEigenConfig(
        k, m, which, startVector, seed, tolerance, Math.max(maxProducts, m), residuals,
        keepVectors, basisPrecision);
  }

  /** The same with another convergence tolerance (relative to the largest |Ritz value|). */
  public TopEigenConfig withTolerance(double t) {
    return new TopEigenConfig(
        k, basisSize, which, startVector, seed, t, maxProducts, residuals, keepVectors,
        basisPrecision);
  }

  /** The same at another end, with the default basis size for it when the current one is too small. */
  public TopEigenConfig withWhich(Which w) {
    int wanted = w == Which.BOTH_ENDS ? 2 * k : k;
    int m = Math.max(basisSize, defaultBasisSize(wanted));
    return new TopEigenConfig(
        k, m, w, startVector, seed, tolerance, Math.max(maxProducts, m), residuals, keepVectors,
        basisPrecision);
  }

  public TopEigenConfig withMaxProducts(int n) {
    return new TopEigenConfig(
        k, basisSize, which, startVector, seed, tolerance, n, residuals, keepVectors,
        basisPrecision);
  }

  public TopEigenConfig withResiduals(ResidualMethod r) {
    return new TopEigenConfig(
        k, basisSize, which, startVector, seed, tolerance, maxProducts, r, keepVectors,
        basisPrecision);
  }

  public TopEigenConfig withKeepVectors(boolean keep) {
    return new TopEigenConfig(
        k, basisSize, which, startVector, seed, tolerance, maxProducts, residuals, keep,
        basisPrecision);
  }

  public TopEigenConfig withBasisPrecision(Precision p) {
    return new TopEigenConfig(
        k, basisSize, which, startVector, seed, tolerance, maxProducts, residuals, keepVectors, p);
  }
}
