package org.hesspec.structure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Power-law tail fits on samples drawn from known laws (Clauset, Shalizi, Newman 2009). */
class PowerLawTailTest {

  /** n draws from the Pareto law with density ∝ x^(-alpha) on [xmin, inf), by inversion. */
  static double[] pareto(int n, double alpha, double xmin, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = xmin * Math.pow(1 - r.nextDouble(), -1 / (alpha - 1)); // 1 - U in (0, 1]: no division by zero
    }
    return x;
  }

  /**
   * n draws, half from an exponential (rate 1) truncated to (0, xmin), half from a Pareto law above xmin:
   * the density jumps at xmin, and only x >= xmin follows a power law.
   */
  static double[] exponentialThenPareto(int n, double alpha, double xmin, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] x = new double[n];
    double mass = 1 - Math.exp(-xmin);
    for (int i = 0; i < n; i++) {
      if (i % 2 == 0) {
        x[i] = -Math.log(1 - r.nextDouble() * mass);
      } else {
        x[i] = xmin * Math.pow(1 - r.nextDouble(), -1 / (alpha - 1));
      }
    }
    return x;
  }

  @Test
  void recoversParetoExponentWithinThreeStandardErrors() {
    for (double alpha : new double[] {2.5, 3.5}) {
      double[] x = pareto(5000, alpha, 1.0, 11);
      PowerLawTail.Fit fit = PowerLawTail.fit(x, PowerLawTail.Options.defaults().withBootstrap(100, 0.95, 5));
      // The Hill estimator is asymptotically normal with sd (alpha-1)/sqrt(n_tail); 3 sd is a two-sided
      // 99.7 % band, so this fails for a correct estimator with probability ~0.003 per seed (and the seed is fixed).
      assertEquals(alpha, fit.alpha(), 3 * fit.standardError(), "alpha for Pareto(" + alpha + "), fit " + fit);
      assertTrue(fit.xminChosenByKs());
      // The interval must be a real interval around the estimate: a percentile interval from 100 replicates
      // of a smooth statistic brackets the point estimate.
      assertTrue(fit.ciLow() < fit.alpha() && fit.alpha() < fit.ciHigh(), "interval " + fit);
      assertEquals(100, fit.bootstrapReps());
      // For an exact Pareto sample every xmin fits; the KS distance of the chosen one must be small: the 1 %
      // critical value of the one-sample KS statistic is 1.63/sqrt(n_tail), and fitting alpha only lowers D.
      assertTrue(fit.ksDistance() < 1.63 / Math.sqrt(fit.nTail()), "KS " + fit.ksDistance());
    }
  }

  @Test
  void givenXminUsesTheWholeTailAndMatchesTheClosedFormHillEstimate() {
    double[] x = pareto(5000, 2.5, 1.0, 3);
    PowerLawTail.Fit fit = PowerLawTail.fit(x, PowerLawTail.Options.defaults().withXmin(1.0).withBootstrap(0, 0.95, 0));
    double s = 0;
    for (double v : x) {
      s += Math.log(v);
    }
    // Same formula, summed in another order: rounding only (1e-12 relative is ~1e4 ulps of slack).
    assertEquals(1 + 5000 / s, fit.alpha(), 1e-12 * fit.alpha());
    assertEquals(5000, fit.tailPoints());
    assertEquals(1.0, fit.tailFraction(), 1e-12);
    assertEquals((fit.alpha() - 1) / Math.sqrt(5000), fit.standardError(), 1e-15);
    assertFalse(fit.xminChosenByKs());
    assertTrue(Double.isNaN(fit.ciLow()) && fit.bootstrapReps() == 0);
  }

  @Test
  void ksScanRecoversTheXminWhereThePowerLawStarts() {
    // The KS criterion is sharp below the true xmin (the exponential part raises D) but nearly flat above it,
    // so a single seed sometimes overshoots: in a 30-seed trial of this set-up, 24 of 30 chosen xmin fell in
    // [0.99, 1.11] and the rest in (1.26, 2.18], none below 0.99. Hence the test asserts on 15 seeds: the median
    // chosen xmin within 5 % of the truth (fails only if 8 of 15 overshoot, while ~3 are expected), and no seed
    // below 0.9 (that would put a tenth of the exponential part's range into the "power-law" tail).
    double[] chosen = new double[15];
    for (int s = 0; s < chosen.length; s++) {
      double[] x = exponentialThenPareto(5000, 2.5, 1.0, 100 + s);
      PowerLawTail.Fit fit = PowerLawTail.fit(x, PowerLawTail.Options.defaults().withBootstrap(0, 0.95, 0));
      chosen[s] = fit.xmin();
      assertTrue(fit.xmin() > 0.9, "seed " + (100 + s) + " chose xmin inside the exponential part: " + fit);
      // Above the true xmin the sample is exactly Pareto, so alpha stays within 3 standard errors (99.7 %).
      assertEquals(2.5, fit.alpha(), 3 * fit.standardError(), "alpha, seed " + (100 + s) + ", fit " + fit);
    }
    double[] sorted = chosen.clone();
    Arrays.sort(sorted);
    assertEquals(1.0, sorted[7], 0.05, "median chosen xmin, all: " + Arrays.toString(chosen));
    // With xmin forced far below the true one, the fit is visibly worse (KS distance several times larger).
    double[] x = exponentialThenPareto(5000, 2.5, 1.0, 100);
    PowerLawTail.Fit best = PowerLawTail.fit(x, PowerLawTail.Options.defaults().withBootstrap(0, 0.95, 0));
    PowerLawTail.Fit low = PowerLawTail.fit(x, PowerLawTail.Options.defaults().withXmin(0.2).withBootstrap(0, 0.95, 0));
    assertTrue(low.ksDistance() > 3 * best.ksDistance(), "KS at xmin=0.2 " + low.ksDistance() + " vs " + best.ksDistance());
  }

  @Test
  void weightedSampleEqualsTheRepeatedSample() {
    // Values 1..200 repeated (k mod 3) + 1 times, against the distinct values with weights (k mod 3) + 1:
    // the same empirical law, so the same fit (the weighted form is what Ritz nodes with weights use).
    double[] base = pareto(200, 3.0, 1.0, 8);
    double[] w = new double[200];
    int total = 0;
    for (int k = 0; k < 200; k++) {
      w[k] = (k % 3) + 1;
      total += (int) w[k];
    }
    double[] rep = new double[total];
    int m = 0;
    for (int k = 0; k < 200; k++) {
      for (int j = 0; j < w[k]; j++) {
        rep[m++] = base[k];
      }
    }
    PowerLawTail.Options o = PowerLawTail.Options.defaults().withMinTail(20).withBootstrap(50, 0.9, 4);
    PowerLawTail.Fit a = PowerLawTail.fit(rep, o);
    PowerLawTail.Fit b = PowerLawTail.fit(base, w, total, o);
    // Identical candidate sets and identical sums up to summation order: 1e-12 relative.
    assertEquals(a.xmin(), b.xmin(), 0.0);
    assertEquals(a.alpha(), b.alpha(), 1e-12 * a.alpha());
    assertEquals(a.ksDistance(), b.ksDistance(), 1e-12);
    assertEquals(a.nTail(), b.nTail(), 1e-9);
  }

  @Test
  void bootstrapOfALargeEffectiveSampleMatchesTheAsymptoticInterval() {
    // 2000 nodes standing for N = 10^6 observations (as Ritz nodes stand for the p eigenvalues of an operator):
    // the bootstrap draws multinomial counts, so this stays cheap, and uses the normal branch of the binomial
    // (each node expects 500 draws). With xmin fixed the Hill estimate is asymptotically normal with sd se, so
    // the 95 % percentile interval should be 2 * 1.96 * se wide. 200 replicates estimate the 2.5 % and 97.5 %
    // quantiles with ~10 % relative error in the width; accept 0.75 to 1.25 times the asymptotic width.
    double[] x = pareto(2000, 3.0, 1.0, 17);
    double[] w = new double[2000];
    Arrays.fill(w, 1.0);
    PowerLawTail.Fit fit = PowerLawTail.fit(x, w, 1e6, PowerLawTail.Options.defaults().withXmin(1.0).withBootstrap(200, 0.95, 9));
    assertEquals(1e6, fit.nTail(), 1e-6);
    double width = fit.ciHigh() - fit.ciLow();
    double expected = 2 * 1.959964 * fit.standardError();
    assertTrue(width > 0.75 * expected && width < 1.25 * expected, "width " + width + " vs " + expected + ", " + fit);
    assertTrue(fit.ciLow() < fit.alpha() && fit.alpha() < fit.ciHigh(), fit.toString());
  }

  @Test
  void logLogPlotHasTheEmpiricalCcdfAndTheFittedLine() {
    double[] x = {1, 2, 2, 4, 8};
    PowerLawTail.Fit fit = PowerLawTail.fit(x, PowerLawTail.Options.defaults().withMinTail(2).withXmin(1).withBootstrap(0, 0.95, 0));
    PowerLawTail.LogLogPlot plot = PowerLawTail.logLogPlot(x, fit, 5);
    // P(X >= x) by counting: 5/5, 4/5, 2/5, 1/5 at the distinct values 1, 2, 4, 8.
    assertTrue(Arrays.equals(new double[] {1, 2, 4, 8}, plot.x()));
    double[] expected = {1.0, 0.8, 0.4, 0.2};
    for (int k = 0; k < 4; k++) {
      assertEquals(expected[k], plot.ccdf()[k], 1e-15);
    }
    // The line starts at (xmin, W) and ends at the largest value, with slope 1 - alpha in log-log.
    assertEquals(1.0, plot.lineX()[0], 1e-15);
    assertEquals(8.0, plot.lineX()[4], 1e-12);
    assertEquals(1.0, plot.lineCcdf()[0], 1e-15);
    double slope = Math.log(plot.lineCcdf()[4] / plot.lineCcdf()[0]) / Math.log(8);
    assertEquals(1 - fit.alpha(), slope, 1e-12);
  }

  @Test
  void degenerateInputsAreRejectedWithTheReason() {
    PowerLawTail.Options o = PowerLawTail.Options.defaults();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PowerLawTail.fit(new double[] {3}, o));
    assertTrue(e.getMessage().contains("too few points"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> PowerLawTail.fit(pareto(20, 2.5, 1, 1), o));
    assertTrue(e.getMessage().contains("too few points") && e.getMessage().contains("minTail=50"), e.getMessage());
    double[] withZero = pareto(100, 2.5, 1, 1);
    withZero[17] = 0;
    e = assertThrows(IllegalArgumentException.class, () -> PowerLawTail.fit(withZero, o));
    assertTrue(e.getMessage().contains("positive") && e.getMessage().contains("value 17"), e.getMessage());
    double[] withNegative = pareto(100, 2.5, 1, 1);
    withNegative[3] = -1e-3;
    e = assertThrows(IllegalArgumentException.class, () -> PowerLawTail.fit(withNegative, o));
    assertTrue(e.getMessage().contains("positive") && e.getMessage().contains("value 3"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> PowerLawTail.fit(pareto(100, 2.5, 1, 1), o.withXmin(1e6)));
    assertTrue(e.getMessage().contains("tail above xmin"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> PowerLawTail.fit(new double[] {1, 2}, new double[] {1}, 2, o));
    assertTrue(e.getMessage().contains("weights"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> PowerLawTail.fit(new double[] {1, 2}, new double[] {1, -1}, 2, o));
    assertTrue(e.getMessage().contains("weight 1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> o.withXmin(-1));
    assertTrue(e.getMessage().contains("xmin"), e.getMessage());
    // All values equal: no xmin has two distinct tail values, so no maximum-likelihood alpha exists.
    double[] flat = new double[100];
    Arrays.fill(flat, 2.0);
    e = assertThrows(IllegalArgumentException.class, () -> PowerLawTail.fit(flat, o));
    assertTrue(e.getMessage().contains("two distinct values"), e.getMessage());
  }
}
