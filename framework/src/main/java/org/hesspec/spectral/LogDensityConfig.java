package org.hesspec.spectral;

/**
 * Parameters of the log-scale density.
 *
 * @param gridPoints points of the grid in {@code log10 |lambda|}, at least 2
 * @param kernelWidth the kernel's standard deviation in decades, or NaN for the default {@code
 *     (log10 r - log10 floor) / M} with r the spectral radius bound and M the Lanczos steps: the
 *     span the plot covers, divided by the number of nodes per run, as on the linear scale
 * @param floor eigenvalues with {@code |lambda| <= floor} count as zero; NaN for the default
 *     {@code 1e-6 r}. Ritz nodes of an M-step run cannot resolve eigenvalues much closer to zero
 *     than {@code r / M^2} anyway, and a Hessian's exact zeros (symmetries) would otherwise become
 *     a spurious peak at the smallest representable scale.
 */
public record LogDensityConfig(int gridPoints, double kernelWidth, double floor) {

  public static final double DEFAULT_RELATIVE_FLOOR = 1e-6;

  public LogDensityConfig {
    if (gridPoints < 2) {
      throw new IllegalArgumentException("gridPoints must be >= 2, got " + gridPoints);
    }
    if (!Double.isNaN(kernelWidth) && !(kernelWidth > 0 && Double.isFinite(kernelWidth))) {
      throw new IllegalArgumentException(
          "kernelWidth must be > 0 decades or NaN for auto, got " + kernelWidth);
    }
    if (!Double.isNaN(floor) && !(floor > 0 && Double.isFinite(floor))) {
      throw new IllegalArgumentException("floor must be > 0 or NaN for auto, got " + floor);
    }
  }

  /** 1024 grid points, automatic kernel width and floor. */
  public static LogDensityConfig defaults() {
    return new LogDensityConfig(DensityConfig.DEFAULT_GRID_POINTS, Double.NaN, Double.NaN);
  }
}
