package org.hesspec.report;

import java.util.Objects;

/**
 * Eigenvalues in rank order (largest first), plotted at ranks 1, 2, ...
 *
 * @param label legend text, e.g. {@code Hessian (Lanczos)} or {@code class means (Gram)}
 * @param values the eigenvalues, largest first
 */
public record RankedValues(String label, double[] values) {

  public RankedValues {
    Objects.requireNonNull(label, "label");
    values = values.clone();
  }

  @Override
  public double[] values() {
    return values.clone();
  }
}
