package org.hesspec.spectral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TraceTest {

  /**
   * A p = 120 symmetric matrix with a decaying spectrum like a Hessian's: a few large outliers
   * (rank-5 part with eigenvalues 50..10) on top of an indefinite GOE bulk.
   */
  private static DenseMatrixOperator hessianLike() {
    int p = 120;
    DenseMatrixOperator goe = RandomMatrices.goe(p, 12);
    double[] a = new double[p * p];
    for (int i = 0; i < p; i++) {
      for (int j = 0; j < p; j++) {
        a[i * p + j] = goe.get(i, j);
      }
    }
    SplittableRandom random = new SplittableRandom(13);
    for (int r = 0; r < 5; r++) {
      double[] u = new double[p];
      for (int i = 0; i < p; i++) {
        u[i] = RandomMatrices.gaussian(random);
      }
      Vectors.scale(1 / Vectors.norm(u), u);
      double lambda = 50 - 10 * r;
      for (int i = 0; i < p; i++) {
        for (int j = 0; j < p; j++) {
          a[i * p + j] += lambda * u[i] * u[j];
        }
      }
    }
    return new DenseMatrixOperator(p, a);
  }

  private static double trace(DenseMatrixOperator a) {
    double t = 0;
    for (int i = 0; i < a.dimension(); i++) {
      t += a.get(i, i);
    }
    return t;
  }

  @Test
  void estimatesLieWithinThreeStandardErrorsInAtLeast95PercentOfTrials() {
    DenseMatrixOperator a = hessianLike();
    double exact = trace(a);
    int trials = 300;
    int hutchinsonCovered = 0;
    int hutchppCovered = 0;
    double hutchinsonSe = 0;
    double hutchppSe = 0;
    for (int t = 0; t < trials; t++) {
      TraceEstimate h = Hutchinson.estimate(a, TraceConfig.of(30, 1000 + t));
      TraceEstimate hpp = HutchPlusPlus.estimate(a, TraceConfig.of(30, 1000 + t));
      hutchinsonCovered += Math.abs(h.estimate() - exact) <= 3 * h.standardError() ? 1 : 0;
      hutchppCovered += Math.abs(hpp.estimate() - exact) <= 3 * hpp.standardError() ? 1 : 0;
      hutchinsonSe += h.standardError() / trials;
      hutchppSe += hpp.standardError() / trials;
      assertEquals(30, h.samples());
      assertEquals(30, hpp.samples());
    }
    System.out.printf("trace: Hutchinson covered %d/%d (mean SE %.3f), Hutch++ %d/%d (%.3f)%n",
        hutchinsonCovered, trials, hutchinsonSe, hutchppCovered, trials, hutchppSe);
    // For approximately normal probe values, P(|t_{n-1}| <= 3) is 0.994 for Hutchinson's 30
    // probes and 0.985 for Hutch++'s 10 remainder probes; 95% leaves room for the skew of
    // quadratic forms and the binomial spread of 300 trials (sd ~1%).
    assertTrue(hutchinsonCovered >= 0.95 * trials, "Hutchinson coverage " + hutchinsonCovered);
    assertTrue(hutchppCovered >= 0.95 * trials, "Hutch++ coverage " + hutchppCovered);
    // Deflating the outliers removes most of the variance: Hutch++ must do clearly better.
    assertTrue(hutchppSe < 0.5 * hutchinsonSe, "Hutch++ SE " + hutchppSe + " vs " + hutchinsonSe);
  }

  @Test
  void hutchPlusPlusIsExactForLowRankOperators() {
    // Rank 4 < s = 10 sketch columns: the sketch spans the range, the remainder is zero.
    double[] d = new double[200];
    d[3] = 7;
    d[50] = -2;
    d[100] = 0.5;
    d[150] = 11;
    TraceEstimate hpp = HutchPlusPlus.estimate(new DiagonalOperator(d), TraceConfig.of(30, 1));
    // Rounding only: the projections are orthogonal to ~1e-15 times the entries (<= 11).
    assertEquals(16.5, hpp.estimate(), 1e-11);
    assertEquals(0, hpp.standardError(), 1e-11);
    assertEquals(10 + 4 + 10, hpp.samples()); // dependent sketch columns cost no projection
  }

  @Test
  void threadsDoNotChangeTheEstimate() {
    DenseMatrixOperator a = hessianLike();
    RunOptions three = RunOptions.sequential().withThreads(3);
    for (TraceEstimate[] pair :
        new TraceEstimate[][] {
          {Hutchinson.estimate(a, TraceConfig.of(20, 5)),
            Hutchinson.estimate(w -> a, TraceConfig.of(20, 5), three)},
          {HutchPlusPlus.estimate(a, TraceConfig.of(20, 5)),
            HutchPlusPlus.estimate(w -> a, TraceConfig.of(20, 5), three)}
        }) {
      assertEquals(pair[0].estimate(), pair[1].estimate(), 0.0);
      assertEquals(pair[0].standardError(), pair[1].standardError(), 0.0);
    }
  }

  @Test
  void rejectsTooFewSamples() {
    assertThrows(IllegalArgumentException.class, () -> TraceConfig.of(1, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> HutchPlusPlus.estimate(new DiagonalOperator(new double[] {1, 2}), TraceConfig.of(3, 0)));
  }
}
