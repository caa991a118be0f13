package org.hesspec.spectral;

/**
 * Parameters of a stochastic trace estimate.
 *
 * @param samples the number of operator products: probes for Hutchinson (at least 2, for a
 *     standard error), the total budget m for Hutch++ (at least 4: m/3 sketch columns, as many
 *     products to project, the rest as probes of the deflated remainder, at least 2)
 * @param distribution the probe distribution; Rademacher has the smallest variance among i.i.d.
 *     probes (Hutchinson 1990)
 * @param seed probe {@code i} uses {@link Seeds#derive}{@code (seed, i)}
 */
public record TraceConfig(int samples, StartVector distribution, long seed) {
  public TraceConfig {
    if (samples < 2) {
      throw new IllegalArgumentException("samples must be >= 2, got " + samples);
    }
    if (distribution == null) {
      throw new IllegalArgumentException("distribution must be GAUSSIAN or RADEMACHER, got null");
    }
  }

  /** Rademacher probes. */
  public static TraceConfig of(int samples, long seed) {
    return new TraceConfig(samples, StartVector.RADEMACHER, seed);
  }
}
