package org.hesspec.spectral;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

/**
 * Wasserstein-1 distances in one dimension, {@code W1(mu, nu) = integral |F_mu - F_nu| dx}, between
 * a density on an evenly spaced grid (its CDF by the trapezoidal rule, linear in between) and a
 * reference law given by its CDF or by a sample.
 */
final class Wasserstein {
  private Wasserstein() {}

  /** Cumulative trapezoidal integral of {@code f} on grid {@code x}, normalised to end at 1. */
  static double[] cdf(double[] x, double[] f, boolean normalise) {
    double[] c = new double[x.length];
    for (int i = 1; i < x.length; i++) {
      c[i] = c[i - 1] + 0.5 * (f[i] + f[i - 1]) * (x[i] - x[i - 1]);
    }
    if (normalise) {
      double total = c[c.length - 1];
      for (int i = 0; i < c.length; i++) {
        c[i] /= total;
      }
    }
    return c;
  }

  /**
   * W1 between the density {@code f} on grid {@code x} and the law with CDF {@code reference},
   * integrated over the grid with each interval split in 16 (the reference is assumed to put no
   * mass outside the grid).
   */
  static double toLaw(double[] x, double[] f, DoubleUnaryOperator reference) {
    double[] c = cdf(x, f, false);
    double sum = 0;
    int parts = 16;
    for (int i = 1; i < x.length; i++) {
      double h = (x[i] - x[i - 1]) / parts;
      for (int k = 0; k < parts; k++) {
        double s = (k + 0.5) / parts;
        double xm = x[i - 1] + s * (x[i] - x[i - 1]);
        double ce = c[i - 1] + s * (c[i] - c[i - 1]);
        sum += Math.abs(ce - reference.applyAsDouble(xm)) * h;
      }
    }
    return sum;
  }

  /**
   * W1 between the density {@code f} on grid {@code x} (normalised to mass 1) and the empirical
   * distribution of {@code sample}, exactly for the piecewise-linear CDF: the integral runs over
   * the union of grid points and sample points, on each piece of which the empirical CDF is
   * constant and the estimate linear.
   */
  static double toSample(double[] x, double[] f, double[] sample) {
    double[] c = cdf(x, f, true);
    double[] s = sample.clone();
    Arrays.sort(s);
    double[] points = new double[x.length + s.length];
    System.arraycopy(x, 0, points, 0, x.length);
    System.arraycopy(s, 0, points, x.length, s.length);
    Arrays.sort(points);
    double sum = 0;
    int below = 0; // sample points <= left end
    for (int i = 1; i < points.length; i++) {
      double a = points[i - 1];
      double b = points[i];
      while (below < s.length && s[below] <= a) {
        below++;
      }
      if (b <= a) {
        continue;
      }
      double empirical = (double) below / s.length;
      double fa = interpolate(x, c, a) - empirical;
      double fb = interpolate(x, c, b) - empirical;
      sum += absIntegralOfLinear(fa, fb, b - a);
    }
    return sum;
  }

  private static double interpolate(double[] x, double[] c, double t) {
    if (t <= x[0]) {
      return 0;
    }
    if (t >= x[x.length - 1]) {
      return 1;
    }
    int i = Arrays.binarySearch(x, t);
    if (i >= 0) {
      return c[i];
    }
    int hi = -i - 1;
    int lo = hi - 1;
    double s = (t - x[lo]) / (x[hi] - x[lo]);
    return c[lo] + s * (c[hi] - c[lo]);
  }

  /** {@code integral_0^h |fa + (fb - fa) t / h| dt}. */
  private static double absIntegralOfLinear(double fa, double fb, double h) {
    if (fa * fb >= 0) {
      return 0.5 * (Math.abs(fa) + Math.abs(fb)) * h;
    }
    double root = h * fa / (fa - fb);
    return 0.5 * Math.abs(fa) * root + 0.5 * Math.abs(fb) * (h - root);
  }

  /** CDF of the semicircle law on [-2, 2]. */
  static double semicircleCdf(double x) {
    if (x <= -2) {
      return 0;
    }
    if (x >= 2) {
      return 1;
    }
    return 0.5 + x * Math.sqrt(4 - x * x) / (4 * Math.PI) + Math.asin(x / 2) / Math.PI;
  }

  /**
   * CDF of the Marchenko-Pastur law of {@code Z Z^T / n}, Z p x n with unit-variance entries,
   * ratio {@code gamma = p / n}: density {@code sqrt((b - x)(x - a)) / (2 pi gamma x)} on {@code
   * [a, b] = [(1 - sqrt gamma)^2, (1 + sqrt gamma)^2]} plus, for gamma > 1, a point mass {@code 1 -
   * 1/gamma} at zero. Integrated numerically in the angle {@code x = m - r cos theta}, which makes
   * the integrand smooth.
   */
  static DoubleUnaryOperator marchenkoPastur(double gamma) {
    double a = Math.pow(1 - Math.sqrt(gamma), 2);
    double b = Math.pow(1 + Math.sqrt(gamma), 2);
    double m = 0.5 * (a + b);
    double r = 0.5 * (b - a);
    double atom = gamma > 1 ? 1 - 1 / gamma : 0;
    int n = 20000;
    double[] theta = new double[n + 1];
    double[] cumulative = new double[n + 1];
    for (int i = 0; i <= n; i++) {
      theta[i] = Math.PI * i / n;
    }
    for (int i = 1; i <= n; i++) {
      double t = 0.5 * (theta[i - 1] + theta[i]);
      double x = m - r * Math.cos(t);
      double sin = Math.sin(t);
      cumulative[i] = cumulative[i - 1] + r * r * sin * sin / (2 * Math.PI * gamma * x) * (Math.PI / n);
    }
    return x -> {
      double base = x >= 0 ? atom : 0;
      if (x <= a) {
        return base;
      }
      if (x >= b) {
        return base + cumulative[n];
      }
      double t = Math.acos((m - x) / r);
      double pos = t / Math.PI * n;
      int i = Math.min(n - 1, (int) pos);
      return base + cumulative[i] + (pos - i) * (cumulative[i + 1] - cumulative[i]);
    };
  }
}
