package org.hesspec.spectral;

/**
 * Parameters of a spectral density estimate by stochastic Lanczos quadrature.
 *
 * @param steps Lanczos steps per run M (nodes per quadrature rule), at least 1
 * @param runs independent runs K (random start vectors) averaged, at least 1
 * @param gridPoints points of the grid the density is evaluated on, at least 2
 * @param kernelWidth the Gaussian kernel's standard deviation as a fraction of the width of the
 *     estimated spectrum {@code upper - lower}, or NaN for the default {@code 1 / M}: Ritz nodes
 *     of an M-step run are spaced about {@code width / M} apart in the bulk, so a kernel of that
 *     width turns them into a smooth curve without blurring more than the nodes resolve (Papyan
 *     2019 sets the width proportional to the range over M the same way)
 * @param reorthogonalization {@link Reorthogonalization#NONE} (FASTLANCZOS, the default) or FULL
 * @param startVector the distribution of start vectors
 * @param seed the seed every run's start vector derives from
 * @param boundsSteps Lanczos steps of the spectrum-bound estimate, at least 2
 * @param margin relative widening of the estimated interval before it is mapped onto [-1, 1], in
 *     [0, 1]: guards against bounds that are slightly too tight
 */
public record DensityConfig(
    int steps,
    int runs,
    int gridPoints,
    double kernelWidth,
    Reorthogonalization reorthogonalization,
    StartVector startVector,
    long seed,
    int boundsSteps,
    double margin) {

  public static final int DEFAULT_GRID_POINTS = 1024;
  public static final double DEFAULT_MARGIN = 0.05;

  public DensityConfig {
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be >= 1, got " + steps);
    }
    if (runs < 1) {
      throw new IllegalArgumentException("runs must be >= 1, got " + runs);
    }
    if (gridPoints < 2) {
      throw new IllegalArgumentException("gridPoints must be >= 2, got " + gridPoints);
    }
    if (!Double.isNaN(kernelWidth) && !(kernelWidth > 0 && kernelWidth < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(
          "kernelWidth must be a positive fraction of the spectrum's width or NaN for auto, got "
              + kernelWidth);
    }
    if (reorthogonalization == null || startVector == null) {
      throw new IllegalArgumentException("reorthogonalization and startVector must not be null");
    }
    if (boundsSteps < 2) {
      throw new IllegalArgumentException("boundsSteps must be >= 2, got " + boundsSteps);
    }
    if (!(margin >= 0 && margin <= 1)) {
      throw new IllegalArgumentException("margin must be in [0, 1], got " + margin);
    }
  }

  /** Defaults: 1024 grid points, automatic kernel width, FASTLANCZOS, Gaussian starts. */
  public static DensityConfig of(int steps, int runs, long seed) {
    return new DensityConfig(
        steps, runs, DEFAULT_GRID_POINTS, Double.NaN, Reorthogonalization.NONE,
        StartVector.GAUSSIAN, seed, SpectrumBounds.DEFAULT_STEPS, DEFAULT_MARGIN);
  }

  /** The kernel width as a fraction of the spectrum's width, resolving the default. */
  public double kernelWidthFraction() {
    return Double.isNaN(kernelWidth) ? 1.0 / steps : kernelWidth;
  }

  public DensityConfig withKernelWidth(double fraction) {
    return new DensityConfig(
        steps, runs, gridPoints, fraction, reorthogonalization, startVector, seed, boundsSteps,
        margin);
  }

  public DensityConfig withGridPoints(int points) {
    return new DensityConfig(
        steps, runs, points, kernelWidth, reorthogonalization, startVector, seed, boundsSteps,
        margin);
  }

  public DensityConfig withReorthogonalization(Reorthogonalization r) {
    return new DensityConfig(
        steps, runs, gridPoints, kernelWidth, r, startVector, seed, boundsSteps, margin);
  }
}
