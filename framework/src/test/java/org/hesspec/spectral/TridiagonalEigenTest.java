package org.hesspec.spectral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.junit.jupiter.api.Test;

class TridiagonalEigenTest {

  @Test
  void agreesWithEjmlOnRandomTridiagonalOfOrder1000() {
    int m = 1000;
    SplittableRandom random = new SplittableRandom(5);
    double[] d = new double[m];
    double[] e = new double[m - 1];
    for (int i = 0; i < m; i++) {
      d[i] = RandomMatrices.gaussian(random);
      if (i < m - 1) {
        e[i] = RandomMatrices.gaussian(random);
      }
    }
    TridiagonalEigen.Decomposition ours = TridiagonalEigen.decompose(d, e, false);

    DMatrixRMaj t = new DMatrixRMaj(m, m);
    for (int i = 0; i < m; i++) {
      t.set(i, i, d[i]);
      if (i < m - 1) {
        t.set(i, i + 1, e[i]);
        t.set(i + 1, i, e[i]);
      }
    }
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(m, true, true);
    assertTrue(eig.decompose(t));
    double[][] reference = new double[m][];
    for (int k = 0; k < m; k++) {
      reference[k] =
          new double[] {eig.getEigenvalue(k).getReal(), eig.getEigenVector(k).get(0, 0)};
    }
    java.util.Arrays.sort(reference, java.util.Comparator.comparingDouble(r -> r[0]));

    double norm = Math.max(Math.abs(ours.eigenvalues()[0]), Math.abs(ours.eigenvalues()[m - 1]));
    double worstValue = 0;
    double worstWeight = 0;
    double weightSum = 0;
    for (int k = 0; k < m; k++) {
      worstValue = Math.max(worstValue, Math.abs(ours.eigenvalues()[k] - reference[k][0]));
      double gap = Math.min(
          k > 0 ? reference[k][0] - reference[k - 1][0] : Double.POSITIVE_INFINITY,
          k < m - 1 ? reference[k + 1][0] - reference[k][0] : Double.POSITIVE_INFINITY);
      // Eigenvector perturbation is ~ eps ||T|| / gap (Davis-Kahan); scale the weight error by
      // the gap so that nearly degenerate pairs (gaps down to ~1e-5 here) count fairly.
      double weightError = Math.abs(ours.weights()[k] - reference[k][1] * reference[k][1]);
      worstWeight = Math.max(worstWeight, weightError * Math.min(1.0, gap / norm));
      weightSum += ours.weights()[k];
    }
    System.out.printf("tridiagonal M=1000: eigenvalue error %.2e, weight error %.2e%n",
        worstValue / norm, worstWeight);
    // Both solvers are backward stable: eigenvalue errors of order M eps ||T|| ~ 2e-13 ||T||.
    assertTrue(worstValue <= 1e-12 * norm, "eigenvalue error " + worstValue);
    // Gap-weighted weight error: eps-level (observed ~1e-17); 1e-12 flags any wrong rotation.
    assertTrue(worstWeight <= 1e-12, "weight error " + worstWeight);
    // The weights are squared components of a unit vector's coordinates: they sum to 1.
    assertEquals(1.0, weightSum, 1e-12);
  }

  @Test
  void fullVectorsAreOrthonormalEigenvectorsWithTheSameEndComponents() {
    int m = 200;
    SplittableRandom random = new SplittableRandom(6);
    double[] d = new double[m];
    double[] e = new double[m - 1];
    for (int i = 0; i < m; i++) {
      d[i] = 3 * random.nextDouble();
      if (i < m - 1) {
        e[i] = random.nextDouble() + 0.1;
      }
    }
    TridiagonalEigen.Decomposition full = TridiagonalEigen.decompose(d, e, true);
    TridiagonalEigen.Decomposition ends = TridiagonalEigen.decompose(d, e, false);
    for (int k = 0; k < m; k++) {
      double[] v = full.vectors()[k];
      double lambda = full.eigenvalues()[k];
      // Both modes apply the same rotations in the same order: identical to rounding.
      assertEquals(ends.eigenvalues()[k], lambda, 1e-13);
      assertEquals(ends.weights()[k], full.weights()[k], 1e-13);
      assertEquals(ends.lastComponents()[k] * ends.lastComponents()[k],
          v[m - 1] * v[m - 1], 1e-13);
      // T v = lambda v and orthonormality, to rounding (||T|| ~ 5, M eps ~ 5e-14).
      for (int i = 0; i < m; i++) {
        double tv = d[i] * v[i] + (i > 0 ? e[i - 1] * v[i - 1] : 0) + (i < m - 1 ? e[i] * v[i + 1] : 0);
        assertEquals(lambda * v[i], tv, 1e-12);
      }
      for (int j = 0; j <= k; j++) {
        assertEquals(j == k ? 1 : 0, Vectors.dot(v, full.vectors()[j]), 1e-12);
      }
    }
  }

  @Test
  void handlesOrderOneDecoupledBlocksAndRejectsBadInput() {
    TridiagonalEigen.Decomposition one = TridiagonalEigen.decompose(new double[] {4}, new double[0], false);
    assertEquals(4, one.eigenvalues()[0]);
    assertEquals(1, one.weights()[0]);
    // A zero off-diagonal splits the matrix; eigenvalues 1, 2 (block {1}) and 3 +- 1.
    TridiagonalEigen.Decomposition split =
        TridiagonalEigen.decompose(new double[] {1, 3, 3}, new double[] {0, 1}, false);
    assertEquals(1, split.eigenvalues()[0], 1e-15);
    assertEquals(2, split.eigenvalues()[1], 1e-15);
    assertEquals(4, split.eigenvalues()[2], 1e-15);
    assertEquals(1, split.weights()[0], 1e-15); // e_1 is itself an eigenvector
    assertThrows(IllegalArgumentException.class,
        () -> TridiagonalEigen.decompose(new double[] {1, 2}, new double[] {1, 1}, false));
    assertThrows(IllegalArgumentException.class,
        () -> TridiagonalEigen.decompose(new double[] {1, Double.NaN}, new double[] {1}, false));
  }
}
