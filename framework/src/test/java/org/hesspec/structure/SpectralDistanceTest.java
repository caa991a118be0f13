package org.hesspec.structure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Wasserstein-1 and Kolmogorov distances against closed forms. */
class SpectralDistanceTest {

  @Test
  void twoPointMasses() {
    double[] one = {1};
    // delta_a vs delta_b: W1 = |a - b|, K = 1. Exact arithmetic on these numbers.
    assertEquals(2.5, SpectralDistance.wasserstein1Points(new double[] {-0.5}, one, new double[] {2.0}, one), 0.0);
    assertEquals(1.0, SpectralDistance.kolmogorovPoints(new double[] {-0.5}, one, new double[] {2.0}, one), 0.0);
    // (delta_0 + delta_1)/2 vs delta_0: half the mass moves by 1, so W1 = 1/2 and K = 1/2. Unnormalised
    // weights (3, 3) and (7) must give the same answer.
    assertEquals(0.5, SpectralDistance.wasserstein1Points(new double[] {1, 0}, new double[] {3, 3}, new double[] {0}, new double[] {7}), 1e-15);
    assertEquals(0.5, SpectralDistance.kolmogorovPoints(new double[] {1, 0}, new double[] {3, 3}, new double[] {0}, new double[] {7}), 1e-15);
    // Identical sets: zero.
    assertEquals(0.0, SpectralDistance.wasserstein1Points(new double[] {1, 2, 3}, new double[] {1, 1, 2}, new double[] {3, 1, 2},
        new double[] {2, 1, 1}), 1e-15);
  }

  @Test
  void shiftedPointSetsAreAtDistanceShift() {
    // W1 between a law and its translate by s is |s| (the quantile functions differ by s everywhere).
    SplittableRandom r = new SplittableRandom(5);
    double[] t = new double[200];
    double[] w = new double[200];
    double[] ts = new double[200];
    for (int i = 0; i < 200; i++) {
      t[i] = r.nextDouble(-3, 3);
      w[i] = r.nextDouble();
      ts[i] = t[i] + 0.37;
    }
    // Sums of 400 terms of size <= 6 with cancellation-free signs: rounding ~1e-13.
    assertEquals(0.37, SpectralDistance.wasserstein1Points(t, w, ts, w), 1e-12);
  }

  /** Uniform density on [lo, hi] sampled on n points of the same interval. */
  static double[][] uniform(double lo, double hi, int n) {
    double[] x = SyntheticSpectra.grid(lo, hi, n);
    double[] f = new double[n];
    java.util.Arrays.fill(f, 1 / (hi - lo));
    return new double[][] {x, f};
  }

  @Test
  void shiftedIdenticalDensitiesOnTheirOwnGridsAreAtDistanceShift() {
    // U[0,1] vs U[0.3,1.3] on different grids (101 and 57 points): the interpolants are exactly the uniform
    // densities, so W1 = 0.3 and K = 0.3 exactly; the merged-grid quadratic integration is exact, leaving rounding.
    double[][] a = uniform(0, 1, 101);
    double[][] b = uniform(0.3, 1.3, 57);
    assertEquals(0.3, SpectralDistance.wasserstein1(a[0], a[1], b[0], b[1]), 1e-12);
    assertEquals(0.3, SpectralDistance.kolmogorov(a[0], a[1], b[0], b[1]), 1e-12);
    // A non-uniform shape: triangle on [0, 2] vs the same triangle on [0.5, 2.5], grids shifted with it.
    double[] x = SyntheticSpectra.grid(0, 2, 41);
    double[] f = new double[41];
    double[] xs = new double[41];
    for (int i = 0; i < 41; i++) {
      f[i] = 1 - Math.abs(x[i] - 1);
      xs[i] = x[i] + 0.5;
    }
    assertEquals(0.5, SpectralDistance.wasserstein1(x, f, xs, f), 1e-12);
    // Scaling a density does not change the law.
    double[] f3 = f.clone();
    for (int i = 0; i < 41; i++) {
      f3[i] *= 3;
    }
    assertEquals(0.5, SpectralDistance.wasserstein1(x, f3, xs, f), 1e-12);
    assertEquals(0.0, SpectralDistance.wasserstein1(x, f3, x, f), 1e-15);
  }

  @Test
  void gaussiansOfDifferentWidthMatchTheClosedForms() {
    // N(0,1) vs N(0,4): the quantile coupling is x -> 2x, so W1 = E|2Z - Z| = E|Z| = sqrt(2/pi).
    // K = Phi(x*) - Phi(x*/2) at x* = sqrt(8 ln 2 / 3), where the two densities phi(x) and phi(x/2)/2 cross.
    double[] x = SyntheticSpectra.grid(-12, 12, 2401); // step 0.01; tails beyond 12 (6 sd of the wide one) ~1e-9
    double[] f = new double[x.length];
    double[] g = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      f[i] = Math.exp(-0.5 * x[i] * x[i]);
      g[i] = Math.exp(-0.125 * x[i] * x[i]);
    }
    // Linear interpolation of a Gaussian with step h = 0.01 errs by ~h^2/8 |f''| ~ 1e-5 pointwise, and much
    // of that cancels in the CDFs: the errors measured were 3.3e-6 (W1) and 1.3e-6 (K). Tolerance 1e-5; a
    // wrong formula (e.g. the CDFs integrated as step functions) errs by ~h/2 = 5e-3.
    assertEquals(Math.sqrt(2 / Math.PI), SpectralDistance.wasserstein1(x, f, x, g), 1e-5);
    double xs = Math.sqrt(8 * Math.log(2) / 3);
    assertEquals(phi(xs) - phi(xs / 2), SpectralDistance.kolmogorov(x, f, x, g), 1e-5);
  }

  @Test
  void pointMassesAndNarrowTrianglesMatchTheQuantileCoupling() {
    // A density made of very narrow triangles (half-width 1e-3) around points, and the points themselves.
    double[] pts = {0.2, 0.5, 0.9};
    double[] wts = {1, 2, 1};
    double[] x = SyntheticSpectra.grid(0, 1, 10001); // step 1e-4
    double[] f = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      for (int k = 0; k < 3; k++) {
        f[i] += wts[k] * Math.max(0, 1 - Math.abs(x[i] - pts[k]) / 1e-3);
      }
    }
    double[] other = {0.4};
    double[] one = {1};
    // W1 to delta_0.4 in closed form for the points: (1*0.2 + 2*0.1 + 1*0.5)/4 = 0.225.
    assertEquals(0.225, SpectralDistance.wasserstein1Points(pts, wts, other, one), 1e-15);
    // Against U[0.39, 0.41] instead: in the quantile coupling Q_tri(u) - Q_U(u) never changes sign within a
    // triangle (all of them lie outside [0.39, 0.41]), so W1 = sum over the three quantile slices of the
    // difference of means: int_0^.25 (0.2 - 0.39 - 0.02u) + int_.25^.75 (0.5 - ...) + int_.75^1 (0.9 - ...)
    // in absolute value = 0.048125 + 0.05 + 0.123125 = 0.22125. The triangles' peaks and feet are grid points,
    // so the interpolant is exact and only rounding remains (1e-9 is generous for 10^4 intervals).
    double[] y = {0.39, 0.41};
    double[] h = {50, 50};
    assertEquals(0.22125, SpectralDistance.wasserstein1(x, f, y, h), 1e-9);
  }

  @Test
  void malformedInputIsRejected() {
    double[] x = {0, 1, 2};
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SpectralDistance.wasserstein1(x, new double[] {1, -1, 1}, x, new double[] {1, 1, 1}));
    assertTrue(e.getMessage().contains("first") && e.getMessage().contains("value 1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> SpectralDistance.wasserstein1(x, new double[] {1, 1, 1}, new double[] {0, 2, 1},
        new double[] {1, 1, 1}));
    assertTrue(e.getMessage().contains("second") && e.getMessage().contains("ascending"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> SpectralDistance.kolmogorov(x, new double[3], x, new double[] {1, 1, 1}));
    assertTrue(e.getMessage().contains("zero mass"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> SpectralDistance.wasserstein1Points(new double[] {1}, new double[] {0}, new double[] {1}, new double[] {1}));
    assertTrue(e.getMessage().contains("sum to zero"), e.getMessage());
  }

  /** Standard normal CDF by composite Simpson on [0, x] with 20000 panels (error ~1e-16 for |x| < 3). */
  static double phi(double x) {
    int n = 20000;
    double h = x / n;
    double s = 0;
    for (int i = 0; i <= n; i++) {
      double u = i * h;
      double fu = Math.exp(-0.5 * u * u);
      s += (i == 0 || i == n ? 1 : (i % 2 == 1 ? 4 : 2)) * fu;
    }
    return 0.5 + s * h / 3 / Math.sqrt(2 * Math.PI);
  }
}
