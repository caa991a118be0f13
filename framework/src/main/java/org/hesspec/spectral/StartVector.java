package org.hesspec.spectral;

import java.util.SplittableRandom;

/**
 * The distribution of the random start vectors of Lanczos runs and trace probes.
 *
 * <p>Entries come from {@link SplittableRandom} seeded with the given seed, in index order, so the
 * same seed gives the same vector bit for bit on every JVM: {@code nextDouble} and {@code nextLong}
 * of {@code SplittableRandom} are specified algorithms, and Gaussian entries use the Box-Muller
 * transform with {@link StrictMath} (not the JDK's {@code nextGaussian}, whose algorithm has
 * changed between releases).
 */
public enum StartVector {
  /**
   * Independent standard normal entries. Normalised, this is the uniform distribution on the unit
   * sphere, the start vector of stochastic Lanczos quadrature in Lin, Saad and Yang (2016) and
   * Papyan (2019).
   */
  GAUSSIAN,
  /**
   * Independent entries +1 or -1 with probability 1/2 each (Hutchinson 1990): the trace estimator
   * with the smallest variance among i.i.d. probes.
   */
  RADEMACHER;

  /** Fills {@code v} with raw entries of this distribution (not normalised). */
  public void fillRaw(double[] v, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    if (this == RADEMACHER) {
      for (int i = 0; i < v.length; i++) {
        v[i] = random.nextBoolean() ? 1.0 : -1.0;
      }
      return;
    }
    // Box-Muller: two uniforms give two independent standard normals.
    for (int i = 0; i < v.length; i += 2) {
      double u1 = 1.0 - random.nextDouble(); // in (0, 1], so the logarithm is finite
      double u2 = random.nextDouble();
      double radius = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
      double angle = 2.0 * StrictMath.PI * u2;
      v[i] = radius * StrictMath.cos(angle);
      if (i + 1 < v.length) {
        v[i + 1] = radius * StrictMath.sin(angle);
      }
    }
  }

  /** Fills {@code v} with a vector of this distribution scaled to unit Euclidean norm. */
  public void fillUnit(double[] v, long seed) {
    fillRaw(v, seed);
    double norm = Vectors.norm(v);
    if (!(norm > 0)) {
      throw new IllegalArgumentException("cannot draw a unit start vector in dimension " + v.length);
    }
    Vectors.scale(1.0 / norm, v);
  }
}
