package org.hesspec.structure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The outlier rule and the bulk-edge rule on spiked random-matrix spectra with known limits. */
class OutlierDetectionTest {

  static final int N = 400;
  static final double SIGMA = 0.02; // kernel width: a few mean eigenvalue spacings at the edge (~0.02 for n = 400)

  /** The bulk edge of a spectrum given by its exact eigenvalues (weight 1/n each), smoothed at SIGMA. */
  static BulkEdge.Estimate edgeOf(double[] eigenvalues) {
    double[] grid = SyntheticSpectra.grid(-3, 8, 2201); // step 0.005 = SIGMA / 4: the density is well resolved
    double[] w = SyntheticSpectra.equalWeights(eigenvalues.length);
    double[] d = SyntheticSpectra.smoothedDensity(grid, eigenvalues, w, SIGMA);
    // Outlier groups here hold at most 3 eigenvalues (mass 3/n); 10/n sets them aside with room to spare.
    return BulkEdge.estimate(grid, d, eigenvalues, w, BulkEdge.DEFAULT_FRACTION, 10.0 / N);
  }

  @Test
  void spikedWignerMatrixHasExactlyItsThreeSupercriticalOutliers() {
    double[] spikes = {6, 4, 3};
    double[] ev = SyntheticSpectra.spikedWigner(N, spikes, 1);
    BulkEdge.Estimate edge = edgeOf(ev);
    double topBulk = ev[3];
    // The estimate sits above the largest bulk eigenvalue by the kernel's reach at level h: for an isolated
    // node of weight 1/n it is sigma sqrt(2 ln(w/(sqrt(2 pi) sigma h))) = 2.8 sigma, a little more with neighbours.
    assertTrue(edge.edge() >= topBulk && edge.edge() <= topBulk + 4 * SIGMA, "edge " + edge + ", top bulk " + topBulk);
    assertEquals(3, edge.isolatedAbove(), "the three spikes are isolated mass: " + edge);
    // The semicircle edge is 2; Tracy-Widom fluctuations of the top bulk eigenvalue are ~n^(-2/3) = 0.02.
    assertEquals(2.0, topBulk, 0.1);

    OutlierDetection.Result r = OutlierDetection.detect(Arrays.copyOf(ev, 30), edge.edge());
    assertEquals(3, r.count(), r.describe());
    assertTrue(r.spacingMeasured());
    for (int k = 0; k < 3; k++) {
      // BBP: outlier -> theta + 1/theta, with Gaussian fluctuations of sd ~ sqrt(2 (1 - 1/theta^2) / n) <= 0.07;
      // 0.25 is 3.5 sd.
      assertEquals(spikes[k] + 1 / spikes[k], r.outliers()[k], 0.25, "outlier " + k);
    }
  }

  @Test
  void pureBulkHasNoOutliers() {
    for (long seed = 1; seed <= 5; seed++) {
      double[] ev = SyntheticSpectra.spikedWigner(N, new double[0], seed);
      double[] top = Arrays.copyOf(ev, 30);
      // Against the estimated edge and against the exact semicircle edge 2: the top bulk eigenvalue exceeds 2
      // by ~n^(-2/3) = 0.02 at most a few times over, far below the 5 % margin (0.1).
      assertEquals(0, OutlierDetection.detect(top, edgeOf(ev).edge()).count(), "seed " + seed);
      assertEquals(0, OutlierDetection.detect(top, 2.0).count(), "seed " + seed);
      assertEquals(0, edgeOf(ev).isolatedAbove());
    }
  }

  @Test
  void subcriticalSpikeStaysInTheBulk() {
    // theta = 0.8 < 1 is below the BBP transition: its eigenvalue sticks to the edge, so no outlier.
    double[] ev = SyntheticSpectra.spikedWigner(N, new double[] {0.8}, 2);
    assertEquals(0, OutlierDetection.detect(Arrays.copyOf(ev, 30), edgeOf(ev).edge()).count());
  }

  @Test
  void eigenvaluesJustInsideOrJustAboveTheEdgeAreNotCounted() {
    double[] bulk = Arrays.copyOf(SyntheticSpectra.spikedWigner(N, new double[0], 3), 30);
    double b = edgeOf(SyntheticSpectra.spikedWigner(N, new double[0], 3)).edge();
    // Two clear spikes, one value just inside the edge (0.98 b) and one above it but within the margin (1.03 b).
    double[] l = concatDescending(bulk, new double[] {5.0, 4.0, 0.98 * b, 1.03 * b});
    OutlierDetection.Result r = OutlierDetection.detect(l, b);
    assertEquals(2, r.count(), r.describe());
    assertEquals(5.0, r.outliers()[0], 0.0);
    assertEquals(4.0, r.outliers()[1], 0.0);
    // The separating gap is from 4.0 down to max(next, b) = b (the next value, 1.03 b, lies above b).
    assertEquals(4.0 - 1.03 * b, r.separatingGap(), 1e-12);
  }

  @Test
  void closeClusterOfOutliersIsCountedWhole() {
    // Bulk with spacing 0.01 below b = 2, and ten outliers 0.001 apart at 5: gaps inside the cluster are far
    // smaller than 3 s, but only the gap below the cluster decides.
    double[] l = new double[40];
    for (int j = 0; j < 10; j++) {
      l[j] = 5.0 - 0.001 * j;
    }
    for (int j = 10; j < 40; j++) {
      l[j] = 2.0 - 0.01 * (j - 10);
    }
    OutlierDetection.Result r = OutlierDetection.detect(l, 2.0);
    assertEquals(10, r.count(), r.describe());
    assertEquals(0.01, r.bulkSpacing(), 1e-12);
  }

  @Test
  void eigenvalueOverTheThresholdWithoutAGapIsNotAnOutlier() {
    // b = 2, t = 2.1, bulk spacing 0.01; the top value 2.11 crosses t but is only 0.01 above the next (2.10),
    // less than 3 s = 0.03, so it is a straggler of the bulk. Lift it to 2.2 and the gap (0.1) counts.
    double[] l = new double[31];
    l[0] = 2.11;
    for (int j = 1; j < 31; j++) {
      l[j] = 2.1 - 0.01 * (j - 1);
    }
    assertEquals(0, OutlierDetection.detect(l, 2.0).count());
    l[0] = 2.2;
    assertEquals(1, OutlierDetection.detect(l, 2.0).count());
  }

  @Test
  void withoutBulkEigenvaluesOnlyTheThresholdApplies() {
    OutlierDetection.Result r = OutlierDetection.detect(new double[] {9, 8, 7}, 2.0);
    assertEquals(3, r.count());
    assertFalse(r.spacingMeasured());
    assertEquals(5.0, r.separatingGap(), 0.0); // 7 - b
    assertTrue(r.describe().contains("margin = 0.05") && r.describe().contains("K = 3"), r.describe());
  }

  @Test
  void malformedInputIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OutlierDetection.detect(new double[] {1, 2}, 0.5));
    assertTrue(e.getMessage().contains("descending"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> OutlierDetection.detect(new double[0], 0.5));
    assertThrows(IllegalArgumentException.class, () -> OutlierDetection.detect(new double[] {1}, 0.5, -0.1, 3));
    assertThrows(IllegalArgumentException.class, () -> OutlierDetection.detect(new double[] {Double.NaN}, 0.5));
  }

  static double[] concatDescending(double[] a, double[] b) {
    double[] c = new double[a.length + b.length];
    System.arraycopy(a, 0, c, 0, a.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    Arrays.sort(c);
    for (int i = 0; i < c.length / 2; i++) {
      double t = c[i];
      c[i] = c[c.length - 1 - i];
      c[c.length - 1 - i] = t;
    }
    return c;
  }
}
