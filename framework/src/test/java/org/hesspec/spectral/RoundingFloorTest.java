package org.hesspec.spectral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.hesspec.curvature.LinearOperator;
import org.junit.jupiter.api.Test;

/**
 * The stop of a top-k run whose products are not exactly linear, as float32 products of a network
 * Hessian are: the iteration converges every pair by its Lanczos estimate, but the residuals
 * recomputed by one more product each sit on the product's rounding floor, above the tolerance. This
 * is what a terminal-phase Gaussian mixture (C = 2, float32, top 70) showed: the run stopped at 353
 * of 2,820 products with 15 pairs above the bound, and the warning told the user to raise
 * max_products, which cannot help. The run must say that it converged and why the residuals are
 * larger.
 */
class RoundingFloorTest {

  /**
   * {@code diag(lambda)} with every entry of a product rounded to a multiple of {@code eta * max_e
   * |y_e|}: deterministic, bounded by {@code eta/2} relative per entry, and not linear, like a
   * product computed in a short floating-point format.
   */
  record Rounded(double[] lambda, double eta) implements LinearOperator {
    @Override
    public int dimension() {
      return lambda.length;
    }

    @Override
    public void apply(double[] v, double[] out) {
      double max = 0;
      for (int i = 0; i < lambda.length; i++) {
        out[i] = lambda[i] * v[i];
        max = Math.max(max, Math.abs(out[i]));
      }
      double q = eta * max;
      for (int i = 0; i < lambda.length; i++) {
        out[i] = q * Math.rint(out[i] / q);
      }
    }
  }

  /** Top 5 at 10, 9, 8, 7, 6 over a bulk uniform in [0, 5]; p = 3000, much larger than the basis. */
  private static double[] spectrum() {
    double[] lambda = new double[3000];
    double[] top = {10, 9, 8, 7, 6};
    System.arraycopy(top, 0, lambda, 0, top.length);
    SplittableRandom r = new SplittableRandom(5);
    for (int i = top.length; i < lambda.length; i++) {
      lambda[i] = 5 * r.nextDouble();
    }
    return lambda;
  }

  private static TopEigenConfig config() {
    return TopEigenConfig.of(5, 11).withTolerance(TopEigenConfig.FLOAT32_TOLERANCE).withKeepVectors(false);
  }

  @Test
  void convergedPairsOnTheProductsRoundingFloorAreReportedAsSuch() {
    double[] lambda = spectrum();
    // eta = 2e-3: near an eigenvector max |y_e| is near ||A||, so every entry is rounded to a grid of
    // 2e-3 ||A||; the recomputed residuals come out near 2.5e-2 ||A||, 250x the tolerance 1e-4, while
    // the Lanczos estimates (of the products actually computed) go below it.
    EigenPairs pairs = TopEigen.compute(new Rounded(lambda, 2e-3), config());
    assertEquals(EigenPairs.Stop.CONVERGED, pairs.stop());
    assertTrue(pairs.products() < pairs.config().maxProducts(), "stopped before the budget: " + pairs.products());
    assertTrue(pairs.convergedCount() < pairs.count(), "some residual above the bound");
    for (int i = 0; i < pairs.count(); i++) {
      // Every pair is converged as far as the iteration can tell ...
      assertTrue(pairs.estimates()[i] <= pairs.residualBound(), "estimate " + i + ": " + pairs.estimates()[i]);
      // ... and one that is not by product is the rounding's, not the budget's.
      assertEquals(!pairs.converged()[i], pairs.roundingLimited(i), "pair " + i);
      // The eigenvalues are still right to the rounding's own size (residual bounds the error):
      // 10 - rank within the recomputed residual, which is about 2e-3 ||A|| here.
      assertEquals(10.0 - i, pairs.eigenvalues()[i], pairs.residuals()[i] + 1e-8, "eigenvalue " + i);
    }
    double floor = pairs.roundingFloor();
    assertTrue(floor > pairs.residualBound(), "floor " + floor);
    String reason = pairs.unconvergedReason();
    assertTrue(reason.contains("rounding floor of the product"), reason);
    assertFalse(reason.contains("max_products"), reason);
    // The tolerance it suggests accepts every pair: at least the floor relative to ||A|| = 10.
    String suggested = reason.replaceAll(".*a tolerance of ([0-9.eE+-]+) or more.*", "$1");
    assertTrue(Double.parseDouble(suggested) * 10 >= floor, reason);
  }

  @Test
  void theSameSpectrumWithExactProductsConvergesAndTheBudgetIsNamedWhenItRunsOut() {
    double[] lambda = spectrum();
    EigenPairs exact = TopEigen.compute(new DiagonalOperator(lambda), config());
    assertEquals(EigenPairs.Stop.CONVERGED, exact.stop());
    assertEquals(exact.count(), exact.convergedCount());
    assertEquals("", exact.unconvergedReason());
    // 26 products (the 25-vector basis once, with 5 left for the residuals) cannot converge the 5th
    // pair to 1e-4 over a bulk 1 below it: the budget is the cause, and the message names it.
    EigenPairs cut = TopEigen.compute(new DiagonalOperator(lambda), config().withMaxProducts(26));
    assertEquals(EigenPairs.Stop.BUDGET, cut.stop());
    assertTrue(cut.convergedCount() < cut.count());
    assertTrue(cut.unconvergedReason().startsWith("max_products (26) ran out"), cut.unconvergedReason());
  }

  @Test
  void aBudgetEndingAtARestartReportsTheFullBasisWithTrueEstimates() {
    // Basis 25 and 25 + 5 products: the iteration's budget ends with the basis full, where a restart
    // would be due. The pairs must come from the full basis with their Lanczos estimates (which, for
    // an exact operator, equal the residuals recomputed by product up to rounding), not from a
    // just-restarted basis whose projection diag(theta) says nothing about the residuals (it read 0,
    // and unconverged pairs were then taken for rounding-limited ones: a full-width VGG11 run with
    // max_products = 61 called ranks 17-20 rounding-limited with residuals 1e3 x its floor).
    double[] lambda = spectrum();
    // The smallest end of the bulk (uniform in [0, 5], no gap) does not converge in 25 products.
    EigenPairs pairs =
        TopEigen.compute(new DiagonalOperator(lambda), config().withWhich(TopEigenConfig.Which.SMALLEST).withMaxProducts(30));
    assertEquals(EigenPairs.Stop.BUDGET, pairs.stop());
    assertEquals(0, pairs.restarts());
    assertTrue(pairs.convergedCount() < pairs.count());
    for (int i = 0; i < pairs.count(); i++) {
      // with a float64 basis and an exact operator, estimate and product residual agree to rounding
      // (about 1e-15 x ||A|| x sqrt(basis size)); 1e-9 x ||A|| = 1e-8 leaves a wide margin
      assertEquals(pairs.residuals()[i], pairs.estimates()[i], 1e-8, "pair " + i);
      assertFalse(pairs.roundingLimited(i), "pair " + i);
    }
    assertTrue(pairs.unconvergedReason().startsWith("max_products (30) ran out"), pairs.unconvergedReason());
  }
}
