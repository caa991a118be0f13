package org.hesspec.spectral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hesspec.curvature.LinearOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The spiked model {@code diag(5, 4, 3, 0, ..., 0) + Z Z^T / 2000} in dimension 2000, with Z of
 * size 2000 x 500 (standard normal entries): the bulk is 500 eigenvalues of Marchenko-Pastur shape
 * with ratio 0.25 in about [0.25, 2.25], 1497 eigenvalues are exactly zero, and the spikes push
 * three outliers to about 5.3, 4.3 and 3.3, more than 1 above the bulk's edge. Reference: EJML's dense eigenvalues of the
 * matrix built from 2000 products.
 */
class SpikedModelTest {

  private static LinearOperator spiked;
  private static DenseSpectrum dense;

  @BeforeAll
  static void build() {
    int p = 2000;
    double[] d = new double[p];
    d[0] = 5;
    d[1] = 4;
    d[2] = 3;
    // Z Z^T / 2000 = (Z / 2) (Z / 2)^T / 500: the Wishart operator with n = 500 of Z / 2.
    RandomMatrices.Wishart w = RandomMatrices.Wishart.gaussian(p, 500, 31);
    for (int i = 0; i < w.z.length; i++) {
      w.z[i] *= 0.5;
    }
    spiked = RandomMatrices.sum(new DiagonalOperator(d), w);
    dense = DenseSpectrum.of(spiked, false);
  }

  @Test
  void topEigenFindsTheThreeOutliersExactly() {
    EigenPairs top = TopEigen.compute(spiked, TopEigenConfig.of(3, 2));
    double[] exact = dense.largest(4);
    System.out.printf("spiked outliers %s (dense %s), residuals %s, bulk edge %.4f%n",
        java.util.Arrays.toString(top.eigenvalues()), java.util.Arrays.toString(exact),
        java.util.Arrays.toString(top.residuals()), exact[3]);
    assertTrue(exact[2] > exact[3] + 1, "the model has three outliers well above the bulk");
    assertEquals(3, top.count());
    assertEquals(3, top.convergedCount());
    for (int i = 0; i < 3; i++) {
      // Converged Ritz values err by ~residual^2 / gap plus rounding (~1e-15 relative), and the
      // dense solver by rounding: 1e-8 relative is the bound asked for, with a wide margin.
      assertEquals(exact[i], top.eigenvalues()[i], 1e-8 * exact[i]);
      // The Ritz vector is a unit vector with the reported residual.
      double[] x = top.vectors()[i];
      assertEquals(1.0, Vectors.norm(x), 1e-12);
      double[] ax = spiked.apply(x);
      double r = 0;
      for (int j = 0; j < x.length; j++) {
        r += Math.pow(ax[j] - top.eigenvalues()[i] * x[j], 2);
      }
      assertEquals(top.residuals()[i], Math.sqrt(r), 1e-12);
    }
    // The Lanczos relation gives the same residuals while the basis stays orthogonal.
    EigenPairs relation =
        TopEigen.compute(
            spiked,
            TopEigenConfig.of(3, 2)
                .withResiduals(TopEigenConfig.ResidualMethod.LANCZOS_RELATION)
                .withKeepVectors(false));
    for (int i = 0; i < 3; i++) {
      assertEquals(top.eigenvalues()[i], relation.eigenvalues()[i], 1e-14 * exact[i]);
      assertEquals(top.residuals()[i], relation.residuals()[i], 1e-10);
    }
    assertEquals(null, relation.vectors());
  }

  @Test
  void smallestAndLargestMagnitude() {
    EigenPairs smallest =
        TopEigen.compute(spiked, TopEigenConfig.of(2, 4).withWhich(TopEigenConfig.Which.SMALLEST));
    // The smallest eigenvalues are exact zeros (rank 503 < 2000): the Ritz values approach 0
    // from above; converged or not, they must not be below 0 by more than rounding.
    assertTrue(smallest.eigenvalues()[0] <= smallest.eigenvalues()[1]);
    assertTrue(smallest.eigenvalues()[0] > -1e-12);
    EigenPairs magnitude =
        TopEigen.compute(
            spiked, TopEigenConfig.of(1, 4).withWhich(TopEigenConfig.Which.LARGEST_MAGNITUDE));
    assertEquals(dense.largest(1)[0], magnitude.eigenvalues()[0], 1e-8 * 5);
  }

  @Test
  void bulkDensityMatchesTheDenseEigenvalues() {
    DensityEstimate est = SpectralDensity.estimate(spiked, DensityConfig.of(100, 10, 5));
    double w1 = Wasserstein.toSample(est.x(), est.density(), dense.eigenvalues());
    System.out.printf("spiked density: W1 %.5f, sigma %.4f, integral %.9f%n",
        w1, est.kernelWidth(), est.integral());
    // Observed 0.035. Most of it is the kernel's smoothing of the point mass at zero (share
    // 0.75): 0.75 E|N(0, sigma)| = 0.6 sigma = 0.032 for sigma = width / M = 0.053. The
    // tolerance adds 0.015 (5x the observed rest) for the bulk's quadrature error and the
    // outliers (weight 1/2000 each, resolved by converged nodes).
    double tolerance = 0.6 * est.kernelWidth() + 0.015;
    assertTrue(w1 < tolerance, "W1 " + w1 + " > " + tolerance);
    assertEquals(1.0, est.integral(), 1e-6);
  }
}
