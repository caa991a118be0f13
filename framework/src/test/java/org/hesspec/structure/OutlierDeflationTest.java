package org.hesspec.structure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;
import org.hesspec.curvature.LinearOperator;
import org.junit.jupiter.api.Test;

/** Deflating known eigenpairs removes exactly them. */
class OutlierDeflationTest {

  static final int P = 40;

  /** A random orthogonal P x P matrix (Q factor of a Gaussian matrix). */
  static double[][] orthogonal(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    DMatrixRMaj a = new DMatrixRMaj(P, P);
    for (int i = 0; i < P * P; i++) {
      a.data[i] = SyntheticSpectra.gaussian(r);
    }
    QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(P, P);
    qr.decompose(a);
    DMatrixRMaj q = qr.getQ(null, false);
    double[][] cols = new double[P][P];
    for (int j = 0; j < P; j++) {
      for (int i = 0; i < P; i++) {
        cols[j][i] = q.get(i, j);
      }
    }
    return cols;
  }

  /** v -> sum_j d_j q_j q_j^T v. */
  static LinearOperator spectral(double[][] q, double[] d) {
    return new LinearOperator() {
      public int dimension() {
        return P;
      }

      public void apply(double[] v, double[] out) {
        java.util.Arrays.fill(out, 0);
        for (int j = 0; j < q.length; j++) {
          double c = 0;
          for (int i = 0; i < P; i++) {
            c += q[j][i] * v[i];
          }
          for (int i = 0; i < P; i++) {
            out[i] += d[j] * c * q[j][i];
          }
        }
      }
    };
  }

  @Test
  void deflatedOperatorHasTheRemovedEigenvaluesSetToZero() {
    double[][] q = orthogonal(7);
    double[] d = new double[P];
    for (int j = 0; j < P; j++) {
      d[j] = j < 3 ? 50 - 10 * j : Math.sin(j); // three outliers 50, 40, 30 above a bulk in [-1, 1]
    }
    LinearOperator a = spectral(q, d);
    LinearOperator defl = Deflation.of(a, new double[][] {q[0], q[1], q[2]}, new double[] {50, 40, 30});
    double[] dd = d.clone();
    dd[0] = 0;
    dd[1] = 0;
    dd[2] = 0;
    LinearOperator expected = spectral(q, dd);
    SplittableRandom r = new SplittableRandom(3);
    for (int t = 0; t < 5; t++) {
      double[] v = new double[P];
      for (int i = 0; i < P; i++) {
        v[i] = SyntheticSpectra.gaussian(r);
      }
      double[] got = defl.apply(v);
      double[] want = expected.apply(v);
      for (int i = 0; i < P; i++) {
        // Both are sums of 40 rank-one terms of size <= 50 |v| ~ 300: rounding ~1e-13; 1e-10 leaves margin.
        assertEquals(want[i], got[i], 1e-10, "component " + i);
      }
    }
    // On a removed eigenvector the deflated operator gives (numerically) zero.
    double[] z = defl.apply(q[1]);
    for (double zi : z) {
      assertEquals(0.0, zi, 1e-12);
    }
  }

  @Test
  void nonOrthonormalVectorsAreRejected() {
    double[][] q = orthogonal(8);
    LinearOperator a = spectral(q, new double[P]);
    double[] bent = q[1].clone();
    bent[0] += 1e-4;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Deflation.of(a, new double[][] {q[0], bent}, new double[] {1, 2}));
    assertTrue(e.getMessage().contains("orthonormal"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Deflation.of(a, new double[][] {q[0]}, new double[] {1, 2}));
    assertThrows(IllegalArgumentException.class, () -> Deflation.of(a, new double[][] {new double[3]}, new double[] {1}));
  }

  /**
   * Vectors rounded to float32 (as a float32 Krylov basis gives them) are orthonormal only to about 1e-8,
   * which Deflation.of refuses; re-orthonormalised in float64 they pass, span the same space (each moves by
   * float32 rounding, checked to 1e-6), and are orthonormal to 1e-14.
   */
  @Test
  void float32RoundedVectorsAreReOrthonormalised() {
    int p = 3000;
    int k = 6;
    SplittableRandom r = new SplittableRandom(5);
    double[][] q = new double[k][p];
    for (int j = 0; j < k; j++) {
      for (int t = 0; t < p; t++) {
        q[j][t] = r.nextGaussian();
      }
    }
    double[][] exact = Deflation.orthonormalized(q);
    // float32 rounding of every entry, plus a coupling of q_1 to q_0 at the level a float32 basis leaves
    // (1.07e-8 was measured on a run): <q_1, q_0> = 2e-8.
    double[][] rounded = new double[k][p];
    for (int j = 0; j < k; j++) {
      for (int t = 0; t < p; t++) {
        rounded[j][t] = (float) exact[j][t] + (j == 1 ? 2e-8 * exact[0][t] : 0);
      }
    }
    LinearOperator zero = new LinearOperator() {
      public int dimension() {
        return p;
      }

      public void apply(double[] v, double[] out) {
        java.util.Arrays.fill(out, 0);
      }
    };
    double[] lambda = new double[k];
    assertThrows(IllegalArgumentException.class, () -> Deflation.of(zero, rounded, lambda));
    double[][] fixed = Deflation.orthonormalized(rounded);
    for (int i = 0; i < k; i++) {
      for (int j = 0; j <= i; j++) {
        double d = 0;
        for (int t = 0; t < p; t++) {
          d += fixed[i][t] * fixed[j][t];
        }
        assertEquals(i == j ? 1.0 : 0.0, d, 1e-14);
      }
      for (int t = 0; t < p; t++) {
        assertEquals(exact[i][t], fixed[i][t], 1e-6);
      }
    }
    Deflation.of(zero, fixed, lambda);
  }
}
