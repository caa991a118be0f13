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
    double[][] vectors) {

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
