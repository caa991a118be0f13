package org.hesspec.structure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The eigengap count, the mass of an interval and the summary quantities of {@link OutlierSummary}. */
class OutlierSummaryTest {

  @Test
  void eigengapCountIsTheLargestRatioOfConsecutiveEigenvalues() {
    assertEquals(2, OutlierSummary.eigengapCount(new double[] {10, 9, 3, 2.9, 2.8}));
    // 2.8 / 0.1 = 28 is the largest ratio with a positive denominator; pairs with l_(j+1) <= 0 are skipped.
    assertEquals(4, OutlierSummary.eigengapCount(new double[] {10, 9, 3, 2.8, 0.1, -1}));
    assertEquals(0, OutlierSummary.eigengapCount(new double[] {1, 0, -1}));
    assertEquals(0, OutlierSummary.eigengapCount(new double[] {1}));
  }

  @Test
  void massBetweenIsHalfOpen() {
    double[] nodes = {0, 1, 2, 3};
    double[] w = {0.1, 0.2, 0.3, 0.4};
    assertEquals(0.7, OutlierSummary.massBetween(nodes, w, 1, 3), 1e-15); // (1, 3]: nodes 2 and 3, not 1
    assertEquals(0.3, OutlierSummary.massBetween(nodes, w, 1, 2), 1e-15);
    assertEquals(0.0, OutlierSummary.massBetween(nodes, w, 3, 10), 0);
  }

  @Test
  void quantitiesOfAnExactSpectrumWithTwoLevels() {
    // A bulk of 400 evenly spaced eigenvalues on [0, 2], outliers 10 and 9.5, and a group 4.3 ... 4.0 (0.1 = 5 sigma
    // apart: one bump of the density, no empty region inside). Exact eigenvalues, weight 1/406 each.
    double[] ev = OutlierDetectionTest.bulkWith(10, 9.5, 4.3, 4.2, 4.1, 4.0);
    double[] grid = SyntheticSpectra.grid(-3, 12, 6001);
    double[] w = SyntheticSpectra.equalWeights(ev.length);
    double[] d = SyntheticSpectra.smoothedDensity(grid, ev, w, 0.02);
    OutlierSummary s = OutlierSummary.of(grid, d, ev, w, 0.02, ev.length, java.util.Arrays.copyOf(ev, 30), 1);
    assertEquals(List.of("bulk_edge", "bulk_mass", "isolated_mass_above", "separated_mass", "outlier_count", "outlier_1",
        "outlier_2", "mini_outlier_count", "mini_outlier_low", "mini_outlier_high", "eigengap_count"), List.copyOf(s.quantities().keySet()));
    assertEquals(2, s.quantities().get("outlier_count"), 0);
    assertEquals(4, s.quantities().get("mini_outlier_count"), 0);
    assertEquals(4.0, s.quantities().get("mini_outlier_low"), 0);
    assertEquals(4.3, s.quantities().get("mini_outlier_high"), 0);
    assertEquals(2, s.eigengapCount()); // 9.5 / 4.3
    // The group carries 4/406, more than BulkEdge's minimum bulk mass 3 C / p = 3/406: the level-set edge takes it
    // for the bulk (edge above 4.3, the two outliers isolated above it). The outlier rule does not depend on that
    // edge and still finds the group between two empty regions. Masses are sums of exact weights: 1e-12.
    assertTrue(s.edge().edge() > 4.3 && s.edge().edge() < 4.4, "edge " + s.edge().edge());
    assertEquals(4.0 / 406, s.edge().bulkMass(), 1e-12);
    assertEquals(2.0 / 406, s.edge().isolatedMassAbove(), 1e-12);
    assertEquals(6.0 / 406, s.separatedMass(), 1e-12);
  }
}
