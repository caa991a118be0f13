package org.hesspec.structure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.junit.jupiter.api.Test;

/** NC1, subspace overlaps and margins against direct dense computations and closed forms. */
class RegimeStatisticsTest {

  /** NC1 from d x d matrices and an SVD pseudo-inverse: the definition, computed the slow way. */
  static double nc1Dense(double[][] h, int[] y, int c) {
    int n = h.length;
    int d = h[0].length;
    double[][] mu = new double[c][d];
    int[] count = new int[c];
    double[] g = new double[d];
    for (int i = 0; i < n; i++) {
      count[y[i]]++;
      for (int j = 0; j < d; j++) {
        mu[y[i]][j] += h[i][j];
        g[j] += h[i][j] / n;
      }
    }
    for (int k = 0; k < c; k++) {
      for (int j = 0; j < d; j++) {
        mu[k][j] /= count[k];
      }
    }
    DMatrixRMaj sw = new DMatrixRMaj(d, d);
    DMatrixRMaj sb = new DMatrixRMaj(d, d);
    for (int i = 0; i < n; i++) {
      for (int a = 0; a < d; a++) {
        for (int b = 0; b < d; b++) {
          sw.add(a, b, (h[i][a] - mu[y[i]][a]) * (h[i][b] - mu[y[i]][b]) / n);
        }
      }
    }
    for (int k = 0; k < c; k++) {
      for (int a = 0; a < d; a++) {
        for (int b = 0; b < d; b++) {
          sb.add(a, b, (mu[k][a] - g[a]) * (mu[k][b] - g[b]) / c);
        }
      }
    }
    DMatrixRMaj pinv = new DMatrixRMaj(d, d);
    SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(d, d, true, true, false);
    svd.decompose(sb.copy());
    double[] s = svd.getSingularValues();
    DMatrixRMaj u = svd.getU(null, false);
    double max = 0;
    for (double x : s) {
      max = Math.max(max, x);
    }
    for (int k = 0; k < s.length; k++) {
      if (s[k] > 1e-10 * max) {
        for (int a = 0; a < d; a++) {
          for (int b = 0; b < d; b++) {
            pinv.add(a, b, u.get(a, k) * u.get(b, k) / s[k]);
          }
        }
      }
    }
    DMatrixRMaj prod = new DMatrixRMaj(d, d);
    CommonOps_DDRM.mult(sw, pinv, prod);
    return CommonOps_DDRM.trace(prod) / c;
  }

  @Test
  void nc1MatchesTheDefinitionComputedWithDenseMatrices() {
    Random r = new Random(3);
    int c = 4;
    int d = 12;
    int n = 60;
    double[][] h = new double[n][d];
    int[] y = new int[n];
    double[][] centre = new double[c][d];
    for (double[] row : centre) {
      for (int j = 0; j < d; j++) {
        row[j] = 3 * r.nextGaussian();
      }
    }
    for (int i = 0; i < n; i++) {
      y[i] = i % c;
      for (int j = 0; j < d; j++) {
        h[i][j] = centre[y[i]][j] + r.nextGaussian();
      }
    }
    // Two float64 routes to the same number (Gram route vs d x d SVD pseudo-inverse): agreement ~1e-13;
    // 1e-9 relative is a wide margin.
    double expected = nc1Dense(h, y, c);
    assertEquals(expected, NeuralCollapse.nc1(h, y, c), 1e-9 * expected);
  }

  @Test
  void nc1IsZeroForCollapsedFeaturesAndScaleInvariant() {
    int c = 3;
    double[][] h = new double[9][5];
    int[] y = new int[9];
    for (int i = 0; i < 9; i++) {
      y[i] = i % 3;
      h[i][y[i]] = 2.0;
      h[i][4] = 1.0;
    }
    assertEquals(0.0, NeuralCollapse.nc1(h, y, c), 1e-15);
    Random r = new Random(5);
    double[][] noisy = new double[9][5];
    double[][] scaled = new double[9][5];
    for (int i = 0; i < 9; i++) {
      for (int j = 0; j < 5; j++) {
        noisy[i][j] = h[i][j] + 0.1 * r.nextGaussian();
        scaled[i][j] = 7 * noisy[i][j];
      }
    }
    double a = NeuralCollapse.nc1(noisy, y, c);
    assertTrue(a > 0);
    // tr(Sigma_W Sigma_B^+) is invariant to scaling the features: rounding only.
    assertEquals(a, NeuralCollapse.nc1(scaled, y, c), 1e-12 * a);
    // One class present: no between-class spread, the statistic is absent.
    assertTrue(Double.isNaN(NeuralCollapse.nc1(new double[][] {{1, 2}, {3, 4}}, new int[] {1, 1}, 3)));
  }

  @Test
  void subspaceOverlapMatchesProjectionsComputedWithExplicitBases() {
    Random r = new Random(11);
    int p = 30;
    int k = 3;
    int m = 5;
    // U: k orthonormal vectors (Gram-Schmidt of random ones); X: m vectors, the first two inside span U.
    double[][] u = new double[k][p];
    for (int i = 0; i < k; i++) {
      for (int a = 0; a < p; a++) {
        u[i][a] = r.nextGaussian();
      }
      for (int j = 0; j < i; j++) {
        double dot = dot(u[i], u[j]);
        for (int a = 0; a < p; a++) {
          u[i][a] -= dot * u[j][a];
        }
      }
      double norm = Math.sqrt(dot(u[i], u[i]));
      for (int a = 0; a < p; a++) {
        u[i][a] /= norm;
      }
    }
    double[][] x = new double[m][p];
    for (int a = 0; a < p; a++) {
      x[0][a] = 2 * u[0][a] + u[1][a];
      x[1][a] = u[1][a];
      for (int j = 2; j < m; j++) {
        x[j][a] = r.nextGaussian();
      }
    }
    double[][] ux = new double[k][m];
    double[][] gram = new double[m][m];
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < m; j++) {
        ux[i][j] = dot(u[i], x[j]);
      }
    }
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < m; j++) {
        gram[i][j] = dot(x[i], x[j]);
      }
    }
    // Reference: ||P_X U||_F^2 / k with P_X the projector from an SVD of X^T (p x m).
    DMatrixRMaj xt = new DMatrixRMaj(p, m);
    for (int a = 0; a < p; a++) {
      for (int j = 0; j < m; j++) {
        xt.set(a, j, x[j][a]);
      }
    }
    SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(p, m, true, false, true);
    svd.decompose(xt);
    DMatrixRMaj q = svd.getU(null, false);
    double expected = 0;
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < m; j++) {
        double s = 0;
        for (int a = 0; a < p; a++) {
          s += u[i][a] * q.get(a, j);
        }
        expected += s * s;
      }
    }
    expected /= k;
    // Float64 both ways; 1e-10 absolute on a number in [0, 1].
    assertEquals(expected, SubspaceOverlap.of(ux, gram, 1e-12), 1e-10);
    // Only the first two X vectors: span X = span{u_0, u_1}, so the overlap is exactly 2/3.
    double[][] ux2 = new double[k][2];
    double[][] gram2 = new double[2][2];
    for (int i = 0; i < k; i++) {
      ux2[i] = new double[] {ux[i][0], ux[i][1]};
    }
    gram2[0] = new double[] {gram[0][0], gram[0][1]};
    gram2[1] = new double[] {gram[1][0], gram[1][1]};
    assertEquals(2.0 / 3.0, SubspaceOverlap.of(ux2, gram2, 1e-12), 1e-12);
  }

  @Test
  void marginsAccuracyAndQuantiles() {
    double[][] logits = {{3, 1, 0}, {0, 2, 1}, {5, 0, 4.5}, {1, 1, 0}};
    int[] y = {0, 1, 2, 0};
    // margins: 2, 1, -0.5, 0 (a tie is not correct)
    Margins m = Margins.of(logits, y);
    assertEquals(0.5, m.accuracy(), 0);
    // sorted -0.5, 0, 1, 2: median 0.5; q05 at h = 0.15 -> -0.5 + 0.15 * 0.5
    assertEquals(0.5, m.marginMedian(), 1e-15);
    assertEquals(-0.5 + 0.15 * 0.5, m.marginQ05(), 1e-15);
    assertThrows(IllegalArgumentException.class, () -> Margins.of(logits, new int[] {0, 1, 3, 0}));
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
