package org.hesspec.experiments.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.hesspec.report.SummaryRow;
import org.junit.jupiter.api.Test;

/** The eigengap and class-means quantities of summary.csv, on hand-made spectra. */
class DerivedSummaryTest {

  private static final DerivedSummary.Key KEY = new DerivedSummary.Key("none", "train", "hessian");

  private static Map<String, Double> byName(List<SummaryRow> rows) {
    return rows.stream().collect(Collectors.toMap(SummaryRow::quantity, SummaryRow::value));
  }

  @Test
  void eigengapsAtCAndCMinusOne() {
    // C = 3: l_1..l_4 = 9, 8, 2, 1 -> lambda_C / lambda_{C+1} = 2 / 1, lambda_{C-1} / lambda_C = 8 / 2.
    Map<String, Double> q = byName(DerivedSummary.eigengaps(KEY, new double[] {9, 8, 2, 1}, 3));
    assertEquals(2.0, q.get("eigengap_C"), 0);
    assertEquals(4.0, q.get("eigengap_C_minus_1"), 0);
    // Only C eigenvalues measured: the gap at C needs lambda_{C+1} and is absent, not invented.
    Map<String, Double> few = byName(DerivedSummary.eigengaps(KEY, new double[] {9, 8, 2}, 3));
    assertTrue(!few.containsKey("eigengap_C"));
    assertEquals(4.0, few.get("eigengap_C_minus_1"), 0);
    // A non-positive denominator gives no ratio.
    assertTrue(DerivedSummary.eigengaps(KEY, new double[] {1, 0, -1, -2}, 2).stream().noneMatch(r -> r.quantity().equals("eigengap_C")));
  }

  @Test
  void topCMinusOneAgainstTheClassMeansEigenvalues() {
    // C = 3: ranks 1..C-1 compared; rank 3 and beyond ignored.
    double d = DerivedSummary.topVersusClassMeans(new double[] {10, 5, 4, 1}, new double[] {9, 4, 0.1}, 3);
    assertEquals(Math.max(1.0 / 10, 1.0 / 5), d, 1e-15);
    assertTrue(Double.isNaN(DerivedSummary.topVersusClassMeans(new double[] {10}, new double[0], 3)));
  }
}
