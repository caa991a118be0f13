package org.hesspec.spectral;

import java.util.Arrays;

/**
 * The outcome of a Lanczos run: the tridiagonal matrix {@code T_m} and, with full
 * reorthogonalisation, the basis.
 *
 * <p>With {@code Q_m = [q_0 .. q_{m-1}]} the Lanczos relation reads {@code A Q_m = Q_m T_m +
 * beta_{m-1} q_m e_m^T}, where {@code T_m} has diagonal {@code alpha[0..m)} and off-diagonal
 * {@code beta[0..m-1)}; {@code beta[m-1]} is the norm of the residual that the run stopped on. For
 * a Ritz pair {@code (theta, Q_m s)} the residual norm is {@code beta[m-1] |s_{m-1}|} (Parlett, The
 * Symmetric Eigenvalue Problem, sec. 13-2).
 *
 * @param config the run's parameters
 * @param dimension the operator's dimension p
 * @param alpha the diagonal of {@code T_m}, length m (the number of steps taken)
 * @param beta the off-diagonal of {@code T_m} followed by the final residual norm, length m
 * @param breakdown whether the run stopped early because the Krylov space became invariant
 * @param basis with full reorthogonalisation the m orthonormal basis vectors, otherwise null (not
 *     copied: they may be large)
 */
public record LanczosResult(
    LanczosConfig config,
    int dimension,
    double[] alpha,
    double[] beta,
    boolean breakdown,
    double[][] basis) {

  public LanczosResult {
    if (alpha.length != beta.length || alpha.length == 0) {
      throw new IllegalArgumentException(
          "alpha and beta must have the same positive length, got "
              + alpha.length
              + " and "
              + beta.length);
    }
  }

  /** The number of steps m actually taken (less than requested after a breakdown). */
  public int steps() {
    return alpha.length;
  }

  /** The off-diagonal of {@code T_m}, length m - 1 (a copy). */
  public double[] offDiagonal() {
    return Arrays.copyOf(beta, beta.length - 1);
  }

  /** {@code beta[m-1]}: the norm of the residual after the last step. */
  public double residualNorm() {
    return beta[beta.length - 1];
  }

  /**
   * The eigendecomposition of {@code T_m}: Ritz values and, as Gauss quadrature weights, the
   * squared first components of its eigenvectors.
   */
  public TridiagonalEigen.Decomposition eigen(boolean fullVectors) {
    return TridiagonalEigen.decompose(alpha, offDiagonal(), fullVectors);
  }
}
