package org.hesspec.structure;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * How much of the span of k orthonormal vectors {@code U = [u_1..u_k]} lies in the span of m vectors
 * {@code X = [x_1..x_m]}: {@code ||U^T Q||_F^2 / k} with Q an orthonormal basis of span X. It is 1 when
 * span U lies in span X and 0 when they are orthogonal. Papyan (2019) claims the top C - 1 eigenvectors of
 * the Hessian and of G are approximately spanned by the class means delta_c; this is that claim measured.
 *
 * <p>Only inner products are needed: with {@code X^T X = V Lambda V^T}, {@code Q = X V Lambda^{-1/2}} on the
 * eigenvalues above {@code relativeFloor * max Lambda} (below it the direction is rounding), so
 * {@code U^T Q = (U^T X) V Lambda^{-1/2}}.
 */
public final class SubspaceOverlap {

  private SubspaceOverlap() {}

  /**
   * @param ux the inner products {@code <u_i, x_j>} (k x m)
   * @param gram the Gram matrix {@code <x_a, x_b>} (m x m)
   * @param relativeFloor eigenvalues of the Gram matrix at or below this fraction of its largest are dropped
   * @return {@code ||U^T Q||_F^2 / k}; NaN when X spans nothing
   */
  public static double of(double[][] ux, double[][] gram, double relativeFloor) {
    int k = ux.length;
    int m = gram.length;
    if (k == 0) {
      throw new IllegalArgumentException("no vectors u");
    }
    for (double[] row : ux) {
      if (row.length != m) {
        throw new IllegalArgumentException("inner products of width " + row.length + " for a Gram matrix of size " + m);
      }
    }
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(m, true, true);
    if (!eig.decompose(new DMatrixRMaj(gram))) {
      throw new ArithmeticException("eigendecomposition of a " + m + "x" + m + " Gram matrix failed");
    }
    double max = 0;
    for (int j = 0; j < m; j++) {
      max = Math.max(max, eig.getEigenvalue(j).getReal());
    }
    if (!(max > 0)) {
      return Double.NaN;
    }
    double total = 0;
    for (int j = 0; j < m; j++) {
      double lambda = eig.getEigenvalue(j).getReal();
      if (lambda <= relativeFloor * max) {
        continue;
      }
      DMatrixRMaj v = eig.getEigenVector(j);
      for (int i = 0; i < k; i++) {
        double s = 0;
        for (int a = 0; a < m; a++) {
          s += ux[i][a] * v.get(a);
        }
        total += s * s / lambda;
      }
    }
    return total / k;
  }
}
