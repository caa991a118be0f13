package org.hesspec.spectral;

/**
 * Derives independent seeds for the runs and samples of an estimate from one user seed.
 *
 * <p>Run {@code i} of an estimate with seed {@code s} uses {@code derive(s, i)}: the SplitMix64
 * finaliser (Steele, Lea, Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014)
 * applied to {@code s + (i + 1) * 0x9E3779B97F4A7C15}. The derived seed depends only on the user
 * seed and the index, never on the thread that runs it, so results do not depend on threading.
 */
public final class Seeds {
  private Seeds() {}

  /** The seed of run (or sample, or column) {@code index} of an estimate seeded with {@code seed}. */
  public static long derive(long seed, long index) {
    long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
