package org.hesspec.structure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.hesspec.spectral.DenseMatrixOperator;
import org.hesspec.spectral.DensityConfig;
import org.hesspec.spectral.DensityEstimate;
import org.hesspec.spectral.SpectralDensity;
import org.junit.jupiter.api.Test;

/**
 * The outlier rule on planted models with known answers, analysed the way the runner analyses an
 * operator: the SLQ density (M = 128, K = 10, kernel width range / M, 1024 grid points, as the quickstart),
 * the bulk edge from it ({@link BulkEdge}, minBulkMass = 3 C / p with C = 10), and the exact top 30
 * eigenvalues of the dense float64 matrix.
 */
class OutlierDetectionTest {

  /** What the runner does with one operator, on a dense symmetric matrix. */
  static OutlierDetection.Result analyse(double[][] a, long seed) {
    int p = a.length;
    double[] rowMajor = new double[p * p];
    for (int i = 0; i < p; i++) {
      System.arraycopy(a[i], 0, rowMajor, i * p, p);
    }
    DensityEstimate est = SpectralDensity.estimate(new DenseMatrixOperator(p, rowMajor), DensityConfig.of(128, 10, seed));
    int runs = est.quadrature().size();
    double[] nodes = est.quadrature().stream().flatMapToDouble(q -> Arrays.stream(q.nodes())).toArray();
    double[] weights = est.quadrature().stream().flatMapToDouble(q -> Arrays.stream(q.weights())).map(w -> w / runs).toArray();
    BulkEdge.Estimate edge = BulkEdge.estimate(est.x(), est.density(), nodes, weights, BulkEdge.DEFAULT_FRACTION, Math.min(0.5, 30.0 / p));
    double[] top = Arrays.copyOf(GramSpectra.eigenvaluesDescending(a), 30);
    OutlierDetection.Result r = OutlierDetection.detect(top, est.x(), est.density(), est.kernelWidth(), p);
    System.out.printf("planted p=%d: sigma %.4f, bulk edge %.4f, top %s%n  %s%n", p, est.kernelWidth(), edge.edge(),
        Arrays.toString(Arrays.copyOf(top, 12)), r.describe().substring(OutlierDetection.RULE_TEXT.length()));
    return r;
  }

  // Wigner W + sum theta_k e_k e_k^T, n = 600: semicircle on [-2, 2]; theta > 1 gives an outlier at theta + 1/theta
  // (BBP). The outlier's Gaussian fluctuation has sd sqrt(2 (1 - 1/theta^2) / n) <= 0.058 here; 0.25 is > 4 sd.

  @Test
  void spikedWignerFarAboveTheEdge() {
    double[] spikes = {5, 4, 3};
    OutlierDetection.Result r = analyse(SyntheticSpectra.spikedWignerMatrix(600, spikes, 1), 11);
    assertEquals(3, r.count(), r.describe());
    assertEquals(0, r.miniCount(), r.describe());
    for (int k = 0; k < 3; k++) {
      assertEquals(spikes[k] + 1 / spikes[k], r.outliers()[k], 0.25, "outlier " + k);
    }
  }

  @Test
  void spikedWignerJustAboveTheTransitionCountsOnlyTheSupercriticalSpike() {
    // theta = 1.8 -> 2.356, 0.36 above the edge (10 kernel widths); theta = 0.8 < 1 sticks to the edge: not an outlier.
    OutlierDetection.Result r = analyse(SyntheticSpectra.spikedWignerMatrix(600, new double[] {1.8, 0.8}, 2), 12);
    assertEquals(1, r.count(), r.describe());
    assertEquals(1.8 + 1 / 1.8, r.outliers()[0], 0.25);
    assertEquals(0, r.miniCount());
  }

  @Test
  void pureWignerAndSubcriticalSpikesHaveNoOutliers() {
    for (long seed = 3; seed <= 5; seed++) {
      assertEquals(0, analyse(SyntheticSpectra.spikedWignerMatrix(600, new double[0], seed), seed).count(), "seed " + seed);
      assertEquals(0, analyse(SyntheticSpectra.spikedWignerMatrix(600, new double[] {0.9, 0.7}, seed), seed).count(), "seed " + seed);
    }
  }

  @Test
  void threeLevelsGiveOutliersAndAMiniOutlierGroup() {
    // Three large spikes (outliers 10.1, 9.1, 8.1) and six small ones (2.9 ... 3.3, closer to each other than the
    // kernel resolves, 0.9 above the bulk): the talk's C outliers and a C(C-1) mini-outlier group for C = 3.
    double[] spikes = {10, 9, 8, 3.0, 2.9, 2.8, 2.7, 2.6, 2.5};
    OutlierDetection.Result r = analyse(SyntheticSpectra.spikedWignerMatrix(600, spikes, 6), 16);
    assertEquals(3, r.count(), r.describe());
    assertEquals(6, r.miniCount(), r.describe());
    assertEquals(2.5 + 1 / 2.5, r.miniLow(), 0.25); // the same 4 sd as above
    assertEquals(3.0 + 1 / 3.0, r.miniHigh(), 0.25);
  }

  // Sample covariance of n = 1600 rows in p = 400 (gamma = 1/4): Marchenko-Pastur bulk on [0.25, 2.25]; a spike
  // l > 1 + sqrt(gamma) = 1.5 gives an outlier at l (1 + gamma / (l - 1)), sd about l sqrt(2 / n) <= 0.36 for l = 10.

  static double[] population(int p, double... spikes) {
    double[] d = new double[p];
    Arrays.fill(d, 1.0);
    System.arraycopy(spikes, 0, d, 0, spikes.length);
    return d;
  }

  static double mpOutlier(double l, double gamma) {
    return l * (1 + gamma / (l - 1));
  }

  @Test
  void spikedCovarianceFarAboveTheMarchenkoPasturEdge() {
    double[] spikes = {10, 8, 6};
    OutlierDetection.Result r = analyse(SyntheticSpectra.spikedCovariance(population(400, spikes), 1600, 7), 17);
    assertEquals(3, r.count(), r.describe());
    for (int k = 0; k < 3; k++) {
      assertEquals(mpOutlier(spikes[k], 0.25), r.outliers()[k], 1.2, "outlier " + k); // 3.3 sd of the largest
    }
  }

  @Test
  void spikedCovarianceJustAboveTheBbpThreshold() {
    // l = 2.2 -> 2.66, 0.41 above the edge (about 20 kernel widths, 5 sd of the outlier); l = 1.3 < 1.5 sticks to it.
    OutlierDetection.Result r = analyse(SyntheticSpectra.spikedCovariance(population(400, 2.2, 1.3), 1600, 8), 18);
    assertEquals(1, r.count(), r.describe());
    // sd of the outlier l sqrt(2 (1 - gamma / (l - 1)^2) / n) = 0.071: 0.3 is 4 sd.
    assertEquals(mpOutlier(2.2, 0.25), r.outliers()[0], 0.3);
  }

  @Test
  void aShoulderOfTheBulkIsNotAnOutlier() {
    // 40 of 400 population eigenvalues spread evenly over [1.5, 2.5]: the sample spectrum gets a shoulder that runs
    // continuously from the bulk to about 3.5 (its top eigenvalues are spaced like a bulk's edge), and two spikes.
    double[] d = population(400, 10, 8);
    for (int i = 0; i < 40; i++) {
      d[2 + i] = 1.5 + i / 39.0;
    }
    OutlierDetection.Result r = analyse(SyntheticSpectra.spikedCovariance(d, 1600, 9), 19);
    assertEquals(2, r.count(), r.describe());
    assertEquals(0, r.miniCount(), r.describe());
  }

  // The rule's two conditions and the level split, on hand-made spectra with a known density.

  /** Exact eigenvalues as nodes of weight 1/p, smoothed at sigma on a fine grid. */
  static OutlierDetection.Result onExact(double[] eigenvalues, double sigma, OutlierDetection.Parameters params) {
    double[] grid = SyntheticSpectra.grid(-3, 12, 6001);
    double[] d = SyntheticSpectra.smoothedDensity(grid, eigenvalues, SyntheticSpectra.equalWeights(eigenvalues.length), sigma);
    double[] top = Arrays.copyOf(eigenvalues, 30);
    return OutlierDetection.detect(top, grid, d, sigma, eigenvalues.length, params);
  }

  static double[] bulkWith(double... above) {
    // A bulk of 400 eigenvalues evenly spaced 0.005 apart on [0, 2], with the given eigenvalues above it.
    double[] ev = new double[above.length + 400];
    System.arraycopy(above, 0, ev, 0, above.length);
    for (int i = 0; i < 400; i++) {
      ev[above.length + i] = 2.0 - 0.005 * i;
    }
    return ev;
  }

  @Test
  void eigenvaluesAttachedToTheBulkAreNotCounted() {
    // Two eigenvalues 0.03 above the bulk's top (1.5 sigma) and one 2 above: only the far one has empty density below it.
    OutlierDetection.Result r = onExact(bulkWith(4.0, 2.06, 2.03), 0.02, OutlierDetection.DEFAULTS);
    assertEquals(1, r.count(), r.describe());
    assertArrayEquals(new int[] {1}, r.separatedGaps());
    // With a kernel of 0.001 the density is empty between them too (condition (a) holds for all three gaps), and
    // their gaps (0.03) are 6x the spacing below (0.005): condition (b) holds too, so all three count. Asking for
    // gaps of 10x the spacing leaves only the far one: (b) decides when the kernel resolves single eigenvalues.
    OutlierDetection.Result narrow = onExact(bulkWith(4.0, 2.06, 2.03), 0.001, OutlierDetection.DEFAULTS);
    assertEquals(3, narrow.count(), narrow.describe());
    OutlierDetection.Result strict = onExact(bulkWith(4.0, 2.06, 2.03), 0.001, new OutlierDetection.Parameters(0.01, 10, 2, 2));
    assertEquals(1, strict.count(), strict.describe());
  }

  @Test
  void levelSplitNeedsAFactorTwoGapAndAGroup() {
    // Outliers 10, 9.5 above a group of three at 4.2, 4.1, 4.0 (ratio 9.5 / 4.2 = 2.3 >= 2): 2 outliers, 3 mini-outliers.
    OutlierDetection.Result r = onExact(bulkWith(10, 9.5, 4.2, 4.1, 4.0), 0.02, OutlierDetection.DEFAULTS);
    assertEquals(2, r.count(), r.describe());
    assertEquals(3, r.miniCount());
    assertEquals(4.0, r.miniLow(), 0);
    assertEquals(4.2, r.miniHigh(), 0);
    // A single eigenvalue below a large gap is an outlier of its own, not a group.
    OutlierDetection.Result single = onExact(bulkWith(10, 9.5, 4.0), 0.02, OutlierDetection.DEFAULTS);
    assertEquals(3, single.count(), single.describe());
    assertEquals(0, single.miniCount());
    assertTrue(Double.isNaN(single.miniLow()));
    // A lone dominant eigenvalue above a group is not a level of its own: 4 outliers.
    OutlierDetection.Result lone = onExact(bulkWith(10, 4.2, 4.1, 4.0), 0.02, OutlierDetection.DEFAULTS);
    assertEquals(4, lone.count(), lone.describe());
    assertEquals(0, lone.miniCount());
    // Ratio below 2 (5 / 4.2): one level.
    OutlierDetection.Result close = onExact(bulkWith(5, 4.9, 4.2, 4.1, 4.0), 0.02, OutlierDetection.DEFAULTS);
    assertEquals(5, close.count(), close.describe());
    assertEquals(0, close.miniCount());
  }

  @Test
  void badInputIsRejectedWithTheReason() {
    double[] x = {0, 1, 2};
    double[] d = {1, 0, 1};
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OutlierDetection.detect(new double[] {1, 2, 0, 0}, x, d, 0.1, 10));
    assertTrue(e.getMessage().contains("descending"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> OutlierDetection.detect(new double[0], x, d, 0.1, 10));
    assertThrows(IllegalArgumentException.class, () -> OutlierDetection.detect(new double[] {Double.NaN}, x, d, 0.1, 10));
    assertThrows(IllegalArgumentException.class, () -> OutlierDetection.detect(new double[] {1}, x, d, 0, 10));
    assertThrows(IllegalArgumentException.class, () -> OutlierDetection.detect(new double[] {1}, x, new double[] {1, -1, 1}, 0.1, 10));
    assertThrows(IllegalArgumentException.class, () -> new OutlierDetection.Parameters(0, 3, 2, 2));
    assertThrows(IllegalArgumentException.class, () -> new OutlierDetection.Parameters(0.01, 3, 0.5, 2));
  }
}
