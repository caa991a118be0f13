package org.hesspec.structure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The bulk-edge rule on hand-made densities where the answer is known exactly. */
class OutlierBulkEdgeTest {

  /** A triangle density on [0, 1] peaking at 0.5 (height 2), on a grid of step 0.01 over [-1, 3]. */
  static double[] grid() {
    return SyntheticSpectra.grid(-1, 3, 401);
  }

  static double[] triangle(double[] x) {
    double[] d = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      d[i] = Math.max(0, 2 - 4 * Math.abs(x[i] - 0.5));
    }
    return d;
  }

  @Test
  void edgeIsWhereTheDensityCrossesTheLevel() {
    double[] x = grid();
    double[] d = triangle(x);
    double[] nodes = {0.25, 0.5, 0.75};
    double[] w = {1, 2, 1};
    // Level h = 0.1 * 2 = 0.2 is crossed at 0.5 + (2 - 0.2) / 4 = 0.95; the density is linear there, so the
    // interpolated crossing is exact up to rounding.
    BulkEdge.Estimate e = BulkEdge.estimate(x, d, nodes, w, 0.1, 0.5);
    assertEquals(0.95, e.edge(), 1e-12);
    assertEquals(1.0, e.bulkMass(), 1e-15);
    assertEquals(0, e.isolatedAbove());
    assertEquals(0.2, e.level(), 1e-15);
  }

  @Test
  void smallIsolatedBumpsAboveTheBulkAreSetAside() {
    double[] x = grid();
    double[] d = triangle(x);
    // Two narrow bumps at 2.0 and 2.5 (height 1, above the level 0.2) holding 1 % of the mass each.
    for (int i = 0; i < x.length; i++) {
      d[i] += Math.max(0, 1 - 50 * Math.abs(x[i] - 2.0)) + Math.max(0, 1 - 50 * Math.abs(x[i] - 2.5));
    }
    double[] nodes = {0.25, 0.5, 0.75, 2.0, 2.5};
    double[] w = {0.245, 0.49, 0.245, 0.01, 0.01};
    BulkEdge.Estimate e = BulkEdge.estimate(x, d, nodes, w, 0.1, 0.05);
    assertEquals(0.95, e.edge(), 1e-12);
    assertEquals(2, e.isolatedAbove());
    assertEquals(0.02, e.isolatedMassAbove(), 1e-15);
    // With no mass requirement the highest bump is "bulk": its right crossing at 2.5 + (1 - 0.2)/50 = 2.516.
    BulkEdge.Estimate all = BulkEdge.estimate(x, d, nodes, w, 0.1, 0.0);
    assertEquals(2.516, all.edge(), 1e-12);
  }

  @Test
  void aDensityOfSingleEigenvaluesStillGivesAnEdge() {
    // 20 eigenvalues 1..20 of weight 1/20 each, resolved by a narrow kernel (sigma 0.05): 20
    // components of mass 0.05, none reaching minBulkMass = 0.14 (almost 3 of them, as 3 C / p asks
    // with C = 1, p = 20). Taken from the top down, 20, 19 and 18 reach 0.14: the edge is the
    // right end of the component around 18, 18 + 0.05 sqrt(2 ln(1 / 1e-3)) = 18.186.
    double[] x = new double[2001];
    double[] d = new double[x.length];
    double[] nodes = new double[20];
    double[] w = new double[20];
    for (int j = 0; j < 20; j++) {
      nodes[j] = j + 1;
      w[j] = 0.05;
    }
    for (int i = 0; i < x.length; i++) {
      x[i] = i * 0.0105;
      for (double n : nodes) {
        d[i] += 0.05 * Math.exp(-0.5 * Math.pow((x[i] - n) / 0.05, 2)) / (0.05 * Math.sqrt(2 * Math.PI));
      }
    }
    BulkEdge.Estimate e = BulkEdge.estimate(x, d, nodes, w, 1e-3, 0.14);
    assertTrue(e.resolvedAtoms());
    assertEquals(18 + 0.05 * Math.sqrt(2 * Math.log(1e3)), e.edge(), 0.011); // the grid's linear interpolation
    assertEquals(2, e.isolatedAbove());
    assertEquals(0.1, e.isolatedMassAbove(), 1e-12);
    assertEquals(0.05, e.bulkMass(), 1e-12);
    // A component carrying the mass alone: the first rule applies.
    assertTrue(!BulkEdge.estimate(x, d, nodes, w, 1e-3, 0.045).resolvedAtoms());
  }

  @Test
  void malformedInputIsRejected() {
    double[] x = grid();
    double[] d = triangle(x);
    double[] n = {0.5};
    double[] w = {1};
    assertThrows(IllegalArgumentException.class, () -> BulkEdge.estimate(x, new double[3], n, w, 0.1, 0.5));
    assertThrows(IllegalArgumentException.class, () -> BulkEdge.estimate(x, d, n, w, 1.5, 0.5));
    assertThrows(IllegalArgumentException.class, () -> BulkEdge.estimate(x, new double[x.length], n, w, 0.1, 0.5));
    double[] neg = d.clone();
    neg[7] = -1;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BulkEdge.estimate(x, neg, n, w, 0.1, 0.5));
    assertTrue(e.getMessage().contains("value 7"), e.getMessage());
    // All mass in nodes outside the support: no component qualifies.
    e = assertThrows(IllegalArgumentException.class, () -> BulkEdge.estimate(x, d, new double[] {2.9}, w, 0.1, 0.5));
    assertTrue(e.getMessage().contains("minBulkMass") && e.getMessage().contains("outside"), e.getMessage());
  }
}
