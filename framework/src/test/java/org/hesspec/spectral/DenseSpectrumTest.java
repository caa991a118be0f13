package org.hesspec.spectral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.hesspec.curvature.LinearOperator;
import org.junit.jupiter.api.Test;

class DenseSpectrumTest {

  @Test
  void recoversAKnownSpectrumWithEigenvectors() {
    // Q diag(lambda) Q^T with Q a Householder reflection I - 2 u u^T: known eigenpairs.
    int p = 60;
    double[] lambda = new double[p];
    for (int i = 0; i < p; i++) {
      lambda[i] = i * 0.5 - 7;
    }
    double[] u = new double[p];
    for (int i = 0; i < p; i++) {
      u[i] = Math.sin(i + 1.0);
    }
    Vectors.scale(1 / Vectors.norm(u), u);
    double[] a = new double[p * p];
    for (int i = 0; i < p; i++) {
      for (int j = 0; j < p; j++) {
        double s = 0;
        for (int k = 0; k < p; k++) {
          double qik = (i == k ? 1 : 0) - 2 * u[i] * u[k];
          double qjk = (j == k ? 1 : 0) - 2 * u[j] * u[k];
          s += qik * lambda[k] * qjk;
        }
        a[i * p + j] = s;
      }
    }
    DenseMatrixOperator op = new DenseMatrixOperator(p, a);
    DenseSpectrum spectrum =
        DenseSpectrum.of(w -> op, true, DenseSpectrum.DEFAULT_SYMMETRY_TOLERANCE,
            RunOptions.sequential().withThreads(2));
    for (int k = 0; k < p; k++) {
      // Backward stable solver: errors ~ p eps ||A|| ~ 1e-13 for ||A|| = 22.5.
      assertEquals(lambda[k], spectrum.eigenvalues()[k], 1e-12);
      double[] v = spectrum.eigenvectors()[k];
      double[] av = op.apply(v);
      for (int i = 0; i < p; i++) {
        assertEquals(lambda[k] * v[i], av[i], 1e-11);
      }
    }
    assertEquals(Arrays.stream(lambda).sum(), spectrum.trace(), 1e-11);
    assertTrue(spectrum.asymmetry() < 1e-14);
    assertEquals(lambda[p - 1], spectrum.largest(1)[0], 1e-12);
  }

  @Test
  void rejectsAnAsymmetricOperatorNamingTheAsymmetry() {
    LinearOperator shear =
        new LinearOperator() {
          @Override
          public int dimension() {
            return 2;
          }

          @Override
          public void apply(double[] v, double[] out) {
            out[0] = v[0] + v[1];
            out[1] = v[1];
          }
        };
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DenseSpectrum.of(shear, false));
    assertTrue(e.getMessage().contains("asymmetry"), e.getMessage());
  }

  @Test
  void denseMatrixOperatorMatchesItsEntries() {
    int p = 13; // not a multiple of the 4-way unrolling
    double[] a = new double[p * p];
    for (int i = 0; i < p; i++) {
      for (int j = 0; j <= i; j++) {
        a[i * p + j] = a[j * p + i] = Math.cos(i * 7 + j);
      }
    }
    double[] m = DenseSpectrum.matrix(new DenseMatrixOperator(p, a));
    for (int i = 0; i < a.length; i++) {
      assertEquals(a[i], m[i], 1e-15);
    }
  }

  /**
   * The negative fraction counts eigenvalues below the precision's rounding floor times the largest
   * |eigenvalue|: of {-1, -1e-6, 0.5, 2} float64 (floor 2e-10) counts two, float32 (floor 2e-5) one.
   */
  @Test
  void negativeFractionIgnoresRoundingOfThePrecision() {
    double[] diag = {-1, -1e-6, 0.5, 2};
    LinearOperator d = new LinearOperator() {
      @Override
      public int dimension() {
        return diag.length;
      }

      @Override
      public void apply(double[] v, double[] out) {
        for (int i = 0; i < diag.length; i++) {
          out[i] = diag[i] * v[i];
        }
      }
    };
    DenseSpectrum s = DenseSpectrum.of(d, false);
    assertEquals(0.5, s.negativeFraction(org.hesspec.model.Precision.FLOAT64));
    assertEquals(0.25, s.negativeFraction(org.hesspec.model.Precision.FLOAT32));
  }

  /** The negative mass is the quadrature weight below zero, averaged over the runs. */
  @Test
  void negativeMassAveragesTheRunsWeightBelowZero() {
    java.util.List<QuadratureRule> rules = java.util.List.of(
        new QuadratureRule(0, 1, false, new double[] {-1, 0.5, 2}, new double[] {0.2, 0.3, 0.5}),
        new QuadratureRule(1, 2, false, new double[] {-2, -0.1, 3}, new double[] {0.1, 0.3, 0.6}));
    DensityEstimate e = new DensityEstimate(DensityConfig.of(3, 2, 1), null, 0, 1, 0.1, new double[] {0, 1},
        new double[] {1, 1}, rules);
    assertEquals((0.2 + 0.4) / 2, e.negativeMass(), 1e-15);
  }
}
