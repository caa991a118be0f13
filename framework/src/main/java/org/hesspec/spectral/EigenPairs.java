package org.hesspec.spectral;

/**
 * Ritz approximations to extreme eigenpairs, the rows of {@code eigenvalues.csv} with method
 * {@code lanczos}.
 *
 * @param config the parameters
 * @param steps the Lanczos steps taken (fewer than requested after a breakdown)
 * @param breakdown whether the Krylov space became invariant (then the Ritz pairs are exact)
 * @param eigenvalues the Ritz values in the order of {@link TopEigenConfig#which()}; at most k,
 *     fewer only when a breakdown left fewer Ritz values
 * @param residuals {@code ||A x - theta x||} for each unit Ritz vector x
 * @param converged whether each residual is within the config's tolerance
 * @param vectors the unit Ritz vectors if kept, otherwise null
 */
public record EigenPairs(
    TopEigenConfig config,
    int steps,
    boolean breakdown,
    double[] eigenvalues,
    double[] residuals,
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
}
