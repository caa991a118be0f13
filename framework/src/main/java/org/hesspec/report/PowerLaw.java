package org.hesspec.report;

/**
 * A power law {@code y = prefactor * x^(-exponent)} on {@code [xMin, xMax]}, drawn as a straight
 * line on log-log axes over the part of the data it was fitted to.
 *
 * @param exponent the tail exponent (positive for a decaying tail)
 * @param prefactor the value at x = 1
 * @param xMin start of the fitted range, positive
 * @param xMax end of the fitted range
 */
public record PowerLaw(double exponent, double prefactor, double xMin, double xMax) {

  public PowerLaw {
    if (!(xMin > 0 && xMax > xMin) || !Double.isFinite(exponent) || !(prefactor > 0)) {
      throw new IllegalArgumentException(
          "power law needs 0 < xMin < xMax and a positive prefactor: " + exponent + ", "
              + prefactor + ", [" + xMin + ", " + xMax + "]");
    }
  }

  /** The law at x. */
  public double at(double x) {
    return prefactor * Math.pow(x, -exponent);
  }

  /**
   * Least-squares fit of {@code log10 y} against {@code log10 x} over the points with
   * {@code xMin <= x <= xMax} and positive y. A convenience for plots; the runner may fit its tail
   * exponent differently (e.g. maximum likelihood) and pass that instead.
   *
   * @throws IllegalArgumentException with fewer than two usable points
   */
  public static PowerLaw fitLogLog(double[] x, double[] y, double xMin, double xMax) {
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    int n = 0;
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < x.length; i++) {
      if (x[i] >= xMin && x[i] <= xMax && x[i] > 0 && y[i] > 0) {
        double lx = Math.log10(x[i]);
        double ly = Math.log10(y[i]);
        sx += lx;
        sy += ly;
        sxx += lx * lx;
        sxy += lx * ly;
        n++;
        lo = Math.min(lo, x[i]);
        hi = Math.max(hi, x[i]);
      }
    }
    double denominator = n * sxx - sx * sx;
    if (n < 2 || denominator <= 0) {
      throw new IllegalArgumentException("need two distinct positive points to fit a power law");
    }
    double slope = (n * sxy - sx * sy) / denominator;
    double intercept = (sy - slope * sx) / n;
    return new PowerLaw(-slope, Math.pow(10, intercept), lo, hi);
  }
}
