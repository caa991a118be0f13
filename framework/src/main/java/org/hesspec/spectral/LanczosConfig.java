package org.hesspec.spectral;

/**
 * Parameters of one Lanczos run.
 *
 * @param steps the number of Lanczos steps M (one operator product each), at least 1; a run never
 *     takes more steps than the operator's dimension and stops earlier on breakdown
 * @param reorthogonalization {@link Reorthogonalization#NONE} (three vectors of memory) or {@link
 *     Reorthogonalization#FULL} (M vectors)
 * @param startVector the distribution of the random unit start vector
 * @param seed the seed of the start vector
 * @param breakdownTolerance the run stops when {@code beta_j <= breakdownTolerance * scale}, where
 *     {@code scale = max_i (|alpha_i| + beta_{i-1})} estimates the operator norm: the Krylov space
 *     is then invariant to working precision, and another step would divide rounding noise by a
 *     tiny number. In [0, 1).
 */
public record LanczosConfig(
    int steps,
    Reorthogonalization reorthogonalization,
    StartVector startVector,
    long seed,
    double breakdownTolerance) {

  /**
   * Default breakdown tolerance: far above the rounding level (beta of an invariant Krylov space is
   * about 1e-15 of the operator norm) and far below anything a healthy run produces.
   */
  public static final double DEFAULT_BREAKDOWN_TOLERANCE = 1e-10;

  public LanczosConfig {
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be >= 1, got " + steps);
    }
    if (reorthogonalization == null) {
      throw new IllegalArgumentException("reorthogonalization must be NONE or FULL, got null");
    }
    if (startVector == null) {
      throw new IllegalArgumentException("startVector must be GAUSSIAN or RADEMACHER, got null");
    }
    if (!(breakdownTolerance >= 0 && breakdownTolerance < 1)) {
      throw new IllegalArgumentException(
          "breakdownTolerance must be in [0, 1), got " + breakdownTolerance);
    }
  }

  /** The plain recurrence with a Gaussian start vector (the density default). */
  public static LanczosConfig plain(int steps, long seed) {
    return new LanczosConfig(
        steps, Reorthogonalization.NONE, StartVector.GAUSSIAN, seed, DEFAULT_BREAKDOWN_TOLERANCE);
  }

  /** Full reorthogonalisation with a Gaussian start vector (the eigenpair default). */
  public static LanczosConfig full(int steps, long seed) {
    return new LanczosConfig(
        steps, Reorthogonalization.FULL, StartVector.GAUSSIAN, seed, DEFAULT_BREAKDOWN_TOLERANCE);
  }

  public LanczosConfig withSeed(long newSeed) {
    return new LanczosConfig(steps, reorthogonalization, startVector, newSeed, breakdownTolerance);
  }

  public LanczosConfig withSteps(int newSteps) {
    return new LanczosConfig(newSteps, reorthogonalization, startVector, seed, breakdownTolerance);
  }
}
