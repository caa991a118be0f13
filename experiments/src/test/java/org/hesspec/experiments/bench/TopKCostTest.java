package org.hesspec.experiments.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.hesspec.spectral.DiagonalOperator;
import org.junit.jupiter.api.Test;

/**
 * {@link TopKCost} on an operator of known spectrum: the converged runs converge every pair (residual
 * at most the bound, ratio <= 1), the fixed runs spend exactly 2k + 20 steps plus the k residual
 * products, and a spectrum with no gap at its lower end leaves the fixed run's smallest pairs
 * unconverged while the converged run pays for them in products.
 */
class TopKCostTest {

  private static double value(List<BenchRow> rows, String metric) {
    return rows.stream().filter(r -> r.metric().equals(metric)).findFirst().orElseThrow(() -> new AssertionError(metric))
        .median();
  }

  @Test
  void convergedAgainstFixedOnAKnownSpectrum() {
    // p = 2000: ten outliers 20, 19, ..., 11 above a bulk uniform in [-1, 1] (no gap at its lower end).
    double[] lambda = new double[2000];
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < lambda.length; i++) {
      lambda[i] = i < 10 ? 20 - i : -1 + 2 * r.nextDouble();
    }
    List<BenchRow> rows = TopKCost.measure("diag", new DiagonalOperator(lambda), 1, s -> {});
    assertEquals(18, rows.size());
    assertEquals(10, value(rows, "topk_largest10_converged"));
    assertTrue(value(rows, "topk_largest10_max_residual") <= 1);
    assertEquals(5, value(rows, "topk_smallest5_converged"));
    assertTrue(value(rows, "topk_smallest5_max_residual") <= 1);
    // the earlier fixed run: 2k + 20 Lanczos steps and k residual products, whatever it reached
    assertEquals(2 * 10 + 20 + 10, value(rows, "topk_largest10_fixed_products"));
    assertEquals(2 * 5 + 20 + 5, value(rows, "topk_smallest5_fixed_products"));
    // 30 steps cannot resolve the 5 lowest of 1990 values spread over [-1, 1] to 1e-4 x 20
    assertTrue(value(rows, "topk_smallest5_fixed_converged") < 5);
    assertTrue(value(rows, "topk_smallest5_fixed_max_residual") > 1);
    assertTrue(value(rows, "topk_smallest5_products") > value(rows, "topk_smallest5_fixed_products"));
    // the fixed run's values were off by more than the converged run's bound at the gapless end
    assertTrue(value(rows, "topk_smallest5_fixed_error") > 1);
  }
}
