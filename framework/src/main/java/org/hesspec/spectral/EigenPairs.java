package org.hesspec.spectral;

/**
 * Ritz approximations to extreme eigenpairs, the rows of {@code eigenvalues.csv} with method
 * {@code lanczos}.
 *
 * @param config the parameters
 * @param products the operator products spent, the final residual products included
 * @param restarts the thick restarts taken
 * @param eigenvalues the Ritz values in the order of {@link TopEigenConfig#which()}: descending for
 *     {@code LARGEST}, ascending for {@code SMALLEST}, by descending |value| for {@code
 *     LARGEST_MAGNITUDE}, and for {@code BOTH_ENDS} the largest end (descending) followed by the
 *     smallest end (ascending); at most {@link TopEigenConfig#wanted()}, fewer only in a
 *     dimension smaller than that
 * @param fromLargestEnd how many leading pairs belong to the largest end: all for {@code
 *     LARGEST}, none for {@code SMALLEST}, the top count for {@code BOTH_ENDS}; for {@code
 *     LARGEST_MAGNITUDE} the end of a pair is its sign and this is -1
 * @param residuals {@code ||A x - theta x||} for each unit Ritz vector x
 * @param residualBound the residual a converged pair may have: the tolerance times the largest
 *     |Ritz value| of the run
 * @param converged whether each residual is within {@code residualBound}
 * @param vectors the unit Ritz vectors if kept, otherwise null
 * @param estimates the residual of each pair as the iteration judged it, from the Lanczos relation
 *     ({@code beta |s_last|}, the residual of the Ritz vector against the products the iteration
 *     computed); it differs from {@code residuals} when a product is not exactly linear (the
 *     rounding of a float32 product), see {@link #roundingLimited(int)}
 * @param stop why the iteration stopped
 */
public record EigenPairs(
    TopEigenConfig config,
    long products,
    int restarts,
    double[] eigenvalues,
    int fromLargestEnd,
    double[] residuals,
    double residualBound,
    boolean[] converged,
    double[][] vectors,
    double[] estimates,
    Stop stop) {

  /** Why a top-eigen iteration stopped. */
  public enum Stop {
    /**
     * Every wanted pair converged by its Lanczos estimate and a verification cycle found no pair
     * missed: more products would not change the result.
     */
    CONVERGED,
    /** The basis spans the whole space: every eigenpair of the operator is in it. */
    SPACE_EXHAUSTED,
    /** {@code maxProducts} ran out before every wanted pair converged. */
    BUDGET
  }

  /** The number of pairs returned. */
  public int count() {
    return eigenvalues.length;
  }

  /** The number of converged pairs. */
  public int convergedCount() {
    int n = 0;
    for (boolean c : converged) {
      n += c ? 1 : 0;
    }
    return n;
  }

  /**
   * Whether pair i is unconverged only because of the product's own rounding: the iteration
   * converged it (its Lanczos estimate is within {@code residualBound}) but the residual
   * recomputed by one more product is not. A product that is not exactly linear (float32: {@code
   * A(sum s_i q_i)} differs from {@code sum s_i A q_i} by rounding of the order of the product's
   * intermediate terms, which can be far larger than {@code ||A||} when the loss is nearly zero)
   * sets a floor under every recomputed residual, which no number of products lowers.
   */
  public boolean roundingLimited(int i) {
    return !converged[i] && estimates[i] <= residualBound;
  }

  /** The largest residual of the pairs limited by rounding ({@link #roundingLimited}), or 0. */
  public double roundingFloor() {
    double floor = 0;
    for (int i = 0; i < count(); i++) {
      if (roundingLimited(i)) {
        floor = Math.max(floor, residuals[i]);
      }
    }
    return floor;
  }

  /**
   * Why the unconverged pairs are unconverged, in words for a warning: the products ran out, or
   * the iteration converged them and the recomputed residuals sit on the product's rounding floor
   * (with the tolerance that floor allows), or both. Empty when every pair converged.
   */
  public String unconvergedReason() {
    int rounding = 0;
    int other = 0;
    for (int i = 0; i < count(); i++) {
      if (!converged[i]) {
        if (roundingLimited(i)) {
          rounding++;
        } else {
          other++;
        }
      }
    }
    if (rounding + other == 0) {
      return "";
    }
    double scale = config.tolerance() > 0 ? residualBound / config.tolerance() : 0;
    StringBuilder b = new StringBuilder();
    if (other > 0) {
      b.append(stop == Stop.BUDGET
          ? "max_products (" + config.maxProducts() + ") ran out before " + other
              + (other == 1 ? " pair" : " pairs") + " converged: raise max_products or iterations, or loosen tolerance"
          : other + (other == 1 ? " pair has" : " pairs have") + " a residual estimate above the bound though the"
              + " iteration stopped (" + stop.name().toLowerCase(java.util.Locale.ROOT) + ")");
    }
    if (rounding > 0) {
      if (b.length() > 0) {
        b.append("; ");
      }
      double floor = roundingFloor();
      b.append(String.format(java.util.Locale.ROOT,
          "%d %s converged by the Lanczos relation, but the %s recomputed by one product each %s up to %.3g"
              + " (%.2g of the largest |eigenvalue|): that is the rounding floor of the product itself (not"
              + " exactly linear), which more products do not lower; a tolerance of %.1g or more, or float64"
              + " products, would accept them",
          rounding, rounding == 1 ? "pair" : "pairs", rounding == 1 ? "residual" : "residuals",
          rounding == 1 ? "is" : "are", floor, scale > 0 ? floor / scale : Double.NaN,
          scale > 0 ? roundUp(1.5 * floor / scale) : Double.NaN));
    }
    return b.toString();
  }

  /** x rounded up to one significant digit. */
  private static double roundUp(double x) {
    double e = Math.pow(10, Math.floor(Math.log10(x)));
    return Math.ceil(x / e) * e;
  }

  /**
   * The rank of pair i counted from its own end: 1 for the most extreme. For {@code BOTH_ENDS}
   * the smallest end restarts at 1.
   */
  public int rank(int i) {
    return fromLargestEnd > 0 && i >= fromLargestEnd ? i - fromLargestEnd + 1 : i + 1;
  }

  /** Whether pair i was sought at the smallest end ({@code SMALLEST}, or the second part of {@code BOTH_ENDS}). */
  public boolean smallestEnd(int i) {
    return switch (config.which()) {
      case SMALLEST -> true;
      case BOTH_ENDS -> i >= fromLargestEnd;
      case LARGEST, LARGEST_MAGNITUDE -> false;
    };
  }
}
