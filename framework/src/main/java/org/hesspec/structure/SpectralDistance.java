package org.hesspec.structure;

import java.util.Arrays;

/**
 * Distances between two spectral distributions, used to say how closely the bulk of the Hessian's
 * spectrum matches the spectrum of H, the "Hessian of predictions" (Papyan 2019, "Measurements of
 * three-level hierarchical structure in the outliers in the spectrum of deepnet Hessians"; the talk's
 * "attribution of bulk").
 *
 * <p>For probability laws mu, nu on the real line with CDFs F, G:
 *
 * <pre>
 *   W1(mu, nu) = integral |F(x) - G(x)| dx          (Wasserstein-1; on R it equals the L1 distance of the CDFs)
 *   K(mu, nu)  = sup_x |F(x) - G(x)|                (Kolmogorov distance)
 * </pre>
 *
 * <p>Two representations are supported, each normalised to unit mass first (so a density and a multiple
 * of it are the same law; the distances compare shapes, not totals):
 * <ul>
 *   <li><b>Densities on grids</b> {@code (x_i, f_i)}: the law whose density is the piecewise-linear
 *   interpolant of the samples on {@code [x_0, x_last]} and zero outside (its mass is the trapezoid sum).
 *   The two grids may differ. On every interval of the merged grid both densities are linear, so F - G is
 *   a quadratic there; W1 integrates its absolute value exactly (splitting at its roots) and K takes the
 *   exact maximum (endpoints and vertex). The only error is that of representing each density by its
 *   interpolant.</li>
 *   <li><b>Weighted point sets</b> {@code (t_j, w_j)}, e.g. Ritz nodes and weights of stochastic Lanczos
 *   quadrature or eigenvalues with weight 1/p: F and G are step functions, computed exactly.</li>
 * </ul>
 */
public final class SpectralDistance {

  private SpectralDistance() {}

  /** W1 between two densities on grids (each grid strictly ascending; densities non-negative). */
  public static double wasserstein1(double[] x1, double[] f1, double[] x2, double[] f2) {
    return gridDistances(x1, f1, x2, f2)[0];
  }

  /** Kolmogorov distance between two densities on grids. */
  public static double kolmogorov(double[] x1, double[] f1, double[] x2, double[] f2) {
    return gridDistances(x1, f1, x2, f2)[1];
  }

  /** W1 between two weighted point sets (any order; weights non-negative with a positive total). */
  public static double wasserstein1Points(double[] t1, double[] w1, double[] t2, double[] w2) {
    return pointDistances(t1, w1, t2, w2)[0];
  }

  /** Kolmogorov distance between two weighted point sets. */
  public static double kolmogorovPoints(double[] t1, double[] w1, double[] t2, double[] w2) {
    return pointDistances(t1, w1, t2, w2)[1];
  }

  // ---------------------------------------------------------------------------------------------

  /** {W1, K} for grid densities. */
  private static double[] gridDistances(double[] x1, double[] f1, double[] x2, double[] f2) {
    double m1 = checkGrid(x1, f1, "first");
    double m2 = checkGrid(x2, f2, "second");
    double[] z = mergedGrid(x1, x2);
    double w1 = 0;
    double k = 0;
    double cdf1 = 0;
    double cdf2 = 0;
    for (int i = 0; i + 1 < z.length; i++) {
      double a = z[i];
      double b = z[i + 1];
      double h = b - a;
      // Density values at a+ and b- (each density is linear on [a, b], or zero outside its grid).
      double p0 = valueInside(x1, f1, a, b, true) / m1;
      double p1 = valueInside(x1, f1, a, b, false) / m1;
      double q0 = valueInside(x2, f2, a, b, true) / m2;
      double q1 = valueInside(x2, f2, a, b, false) / m2;
      // D(u) = F1 - F2 at a + u = c0 + c1 u + c2 u^2 for u in [0, h].
      double c0 = cdf1 - cdf2;
      double c1 = p0 - q0;
      double c2 = ((p1 - p0) - (q1 - q0)) / (2 * h);
      w1 += absIntegral(c0, c1, c2, h);
      k = Math.max(k, absMax(c0, c1, c2, h));
      cdf1 += 0.5 * (p0 + p1) * h;
      cdf2 += 0.5 * (q0 + q1) * h;
    }
    return new double[] {w1, k};
  }

  /** Value at the left (a+) or right (b-) end of [a, b] of the interpolant on grid x, zero outside it. */
  private static double valueInside(double[] x, double[] f, double a, double b, boolean left) {
    if (a < x[0] || b > x[x.length - 1]) {
      return 0;
    }
    double at = left ? a : b;
    int j = Arrays.binarySearch(x, at);
    if (j >= 0) {
      return f[j];
    }
    int hi = -j - 1; // x[hi - 1] < at < x[hi]
    double t = (at - x[hi - 1]) / (x[hi] - x[hi - 1]);
    return f[hi - 1] + t * (f[hi] - f[hi - 1]);
  }

  /** Integral over [0, h] of |c0 + c1 u + c2 u^2|, exact: split at the roots inside (0, h). */
  private static double absIntegral(double c0, double c1, double c2, double h) {
    double[] cuts = new double[4];
    int n = 0;
    cuts[n++] = 0;
    for (double r : roots(c0, c1, c2)) {
      if (r > 0 && r < h) {
        cuts[n++] = r;
      }
    }
    cuts[n++] = h;
    Arrays.sort(cuts, 0, n);
    double s = 0;
    for (int i = 0; i + 1 < n; i++) {
      s += Math.abs(antiderivative(c0, c1, c2, cuts[i + 1]) - antiderivative(c0, c1, c2, cuts[i]));
    }
    return s;
  }

  private static double antiderivative(double c0, double c1, double c2, double u) {
    return u * (c0 + u * (c1 / 2 + u * c2 / 3));
  }

  /** max over [0, h] of |c0 + c1 u + c2 u^2|: at an end or at the vertex. */
  private static double absMax(double c0, double c1, double c2, double h) {
    double m = Math.max(Math.abs(c0), Math.abs(c0 + h * (c1 + h * c2)));
    if (c2 != 0) {
      double u = -c1 / (2 * c2);
      if (u > 0 && u < h) {
        m = Math.max(m, Math.abs(c0 + u * (c1 + u * c2)));
      }
    }
    return m;
  }

  /** Real roots of c0 + c1 u + c2 u^2 (numerically stable form; empty when none or degenerate). */
  private static double[] roots(double c0, double c1, double c2) {
    if (c2 == 0) {
      return c1 == 0 ? new double[0] : new double[] {-c0 / c1};
    }
    double disc = c1 * c1 - 4 * c2 * c0;
    if (disc < 0) {
      return new double[0];
    }
    // q = -(c1 + sign(c1) sqrt(disc)) / 2 avoids cancellation; roots q / c2 and c0 / q.
    double q = -0.5 * (c1 + Math.copySign(Math.sqrt(disc), c1));
    if (q == 0) {
      return new double[] {0};
    }
    return new double[] {q / c2, c0 / q};
  }

  private static double[] mergedGrid(double[] x1, double[] x2) {
    double[] z = new double[x1.length + x2.length];
    System.arraycopy(x1, 0, z, 0, x1.length);
    System.arraycopy(x2, 0, z, x1.length, x2.length);
    Arrays.sort(z);
    int n = 0;
    for (int i = 0; i < z.length; i++) {
      if (n == 0 || z[i] != z[n - 1]) {
        z[n++] = z[i];
      }
    }
    return Arrays.copyOf(z, n);
  }

  /** Validates a grid density and returns its trapezoid mass. */
  private static double checkGrid(double[] x, double[] f, String which) {
    if (x == null || f == null || x.length != f.length || x.length < 2) {
      throw new IllegalArgumentException(which + " density: grid and values must have the same length, at least 2");
    }
    double mass = 0;
    for (int i = 0; i < x.length; i++) {
      if (!Double.isFinite(x[i]) || (i > 0 && !(x[i] > x[i - 1]))) {
        throw new IllegalArgumentException(which + " density: grid must be finite and strictly ascending, fails at index " + i);
      }
      if (!(f[i] >= 0 && Double.isFinite(f[i]))) {
        throw new IllegalArgumentException(which + " density: values must be finite and >= 0, value " + i + " is " + f[i]);
      }
      if (i > 0) {
        mass += 0.5 * (f[i] + f[i - 1]) * (x[i] - x[i - 1]);
      }
    }
    if (!(mass > 0)) {
      throw new IllegalArgumentException(which + " density has zero mass");
    }
    return mass;
  }

  /** {W1, K} for weighted point sets. */
  private static double[] pointDistances(double[] t1, double[] w1, double[] t2, double[] w2) {
    double s1 = checkPoints(t1, w1, "first");
    double s2 = checkPoints(t2, w2, "second");
    int n = t1.length + t2.length;
    double[] t = new double[n];
    double[] dw = new double[n]; // signed jump of F1 - F2 at t
    for (int i = 0; i < t1.length; i++) {
      t[i] = t1[i];
      dw[i] = w1[i] / s1;
    }
    for (int i = 0; i < t2.length; i++) {
      t[t1.length + i] = t2[i];
      dw[t1.length + i] = -w2[i] / s2;
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(t[a], t[b]));
    double w = 0;
    double k = 0;
    double diff = 0;
    for (int i = 0; i < n; ) {
      double at = t[order[i]];
      while (i < n && t[order[i]] == at) { // all jumps at this abscissa
        diff += dw[order[i]];
        i++;
      }
      k = Math.max(k, Math.abs(diff));
      if (i < n) {
        w += Math.abs(diff) * (t[order[i]] - at);
      }
    }
    return new double[] {w, k};
  }

  private static double checkPoints(double[] t, double[] w, String which) {
    if (t == null || w == null || t.length != w.length || t.length == 0) {
      throw new IllegalArgumentException(which + " point set: points and weights must have the same, positive length");
    }
    double s = 0;
    for (int i = 0; i < t.length; i++) {
      if (!Double.isFinite(t[i])) {
        throw new IllegalArgumentException(which + " point set: point " + i + " is " + t[i]);
      }
      if (!(w[i] >= 0 && Double.isFinite(w[i]))) {
        throw new IllegalArgumentException(which + " point set: weight " + i + " is " + w[i]);
      }
      s += w[i];
    }
    if (!(s > 0)) {
      throw new IllegalArgumentException(which + " point set: weights sum to zero");
    }
    return s;
  }
}
