package org.hesspec.report;

import java.util.Objects;

/**
 * Eigenvalues in rank order (largest first), plotted at ranks firstRank, firstRank + 1, ...
 *
 * @param label legend text, e.g. {@code Hessian (Lanczos)} or {@code class means (Gram)}
 * @param values the eigenvalues, largest first
 * @param firstRank the rank of the first value (1 for a spectrum's top; C for the "mini-outliers" of G2,
 *     which Papyan compares with the eigenvalues that follow the C class outliers)
 */
public record RankedValues(String label, double[] values, int firstRank) {

  public RankedValues {
    Objects.requireNonNull(label, "label");
    values = values.clone();
    if (firstRank < 1) {
      throw new IllegalArgumentException("firstRank must be >= 1, got " + firstRank);
    }
  }

  /** Values plotted from rank 1. */
  public RankedValues(String label, double[] values) {
    this(label, values, 1);
  }

  @Override
  public double[] values() {
    return values.clone();
  }
}
