package org.hesspec.spectral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LogSpectralDensityTest {

  @Test
  void heavyTailedWishartMatchesTheDenseLogSpectrum() {
    // Z Z^T / n with symmetric Pareto entries of tail index 1.5 (infinite variance): the top
    // eigenvalues come from the largest entries and the spectrum spans ~4 decades.
    int p = 500;
    int n = 1000;
    SplittableRandom random = new SplittableRandom(21);
    double[] z =
        RandomMatrices.matrix(
            p, n,
            () -> (random.nextBoolean() ? 1 : -1) * Math.pow(1 - random.nextDouble(), -1 / 1.5));
    RandomMatrices.Wishart w = new RandomMatrices.Wishart(p, n, z);
    double[] exact = DenseSpectrum.of(w, false).eigenvalues();

    DensityEstimate linear = SpectralDensity.estimate(w, DensityConfig.of(100, 10, 8));
    LogDensityEstimate log = LogSpectralDensity.fromDensity(linear, LogDensityConfig.defaults());
    double[] logExact = Arrays.stream(exact).filter(l -> l > log.floor()).map(Math::log10).toArray();
    double w1 = Wasserstein.toSample(log.x(), log.positive(), logExact);
    System.out.printf(
        "heavy tail: eigenvalues %.3g..%.3g, log W1 %.4f decades, sigma %.3f, masses %.4f/%.4f/%.4f%n",
        exact[0], exact[p - 1], w1, log.kernelWidth(), log.massPositive(), log.massNegative(),
        log.massZero());
    assertTrue(exact[p - 1] / exact[0] > 1e3, "the test spectrum should span decades");
    // Observed 0.012 decades. The kernel (sigma = 0.06 decades) and the quadrature's resolution
    // of the bulk dominate; 0.05 decades (a factor 1.12 in lambda) leaves 4x and still fails a
    // density shifted by a factor 1.26.
    assertTrue(w1 < 0.05, "W1 in decades " + w1);
    // Z Z^T / n is positive definite for p < n: all mass in the positive part.
    assertEquals(1.0, log.massPositive(), 1e-12);
    assertEquals(0.0, log.massNegative(), 0.0);
    double integral = 0;
    for (int i = 1; i < log.x().length; i++) {
      integral += 0.5 * (log.positive()[i] + log.positive()[i - 1]) * (log.x()[i] - log.x()[i - 1]);
    }
    assertEquals(log.massPositive(), integral, 1e-6);
  }

  @Test
  void splitsSignsAndCountsTheFloorAsZero() {
    // Eigenvalues: 100 at -10, 200 at 1e-9 (below the floor), 700 log-spread over [1, 100]. The
    // clusters at -10 and near 0 are isolated on the linear scale, so Ritz nodes converge to them;
    // a cluster at 1e-9 next to a continuum starting at 0.01 would instead share a node with it
    // (resolution ~ width / M), which is the limit of any Lanczos-based log density.
    double[] d = new double[1000];
    for (int i = 0; i < 100; i++) {
      d[i] = -10;
    }
    for (int i = 100; i < 300; i++) {
      d[i] = 1e-9;
    }
    for (int i = 300; i < 1000; i++) {
      d[i] = Math.pow(10, 2.0 * (i - 300) / 699);
    }
    DensityEstimate linear = SpectralDensity.estimate(new DiagonalOperator(d), DensityConfig.of(60, 20, 3));
    LogDensityEstimate log =
        LogSpectralDensity.fromDensity(linear, new LogDensityConfig(512, Double.NaN, 1e-5));
    System.out.printf("signs: masses %.4f/%.4f/%.4f%n",
        log.massPositive(), log.massNegative(), log.massZero());
    // The shares are the Ritz weights' averages: 0.7 / 0.1 / 0.2 up to the start vectors'
    // fluctuation, sqrt(2 share / p / K) <= 0.01 here, and the few nodes that straddle the floor.
    assertEquals(0.7, log.massPositive(), 0.03);
    assertEquals(0.1, log.massNegative(), 0.03);
    assertEquals(0.2, log.massZero(), 0.03);
    assertEquals(1e-5, log.floor());
    // The negative part is a point mass at log10 10 = 1 (isolated, so resolved exactly).
    int peak = 0;
    for (int i = 1; i < log.x().length; i++) {
      if (log.negative()[i] > log.negative()[peak]) {
        peak = i;
      }
    }
    assertEquals(1.0, log.x()[peak], 2 * (log.x()[1] - log.x()[0]));
  }
}
