package org.hesspec.report;

import java.util.List;
import java.util.Objects;

/**
 * One panel of a small-multiples figure, e.g. the densities for one sweep value.
 *
 * @param title the panel's title, e.g. {@code 51 per class}
 * @param curves its curves
 */
public record Facet(String title, List<Curve> curves) {

  public Facet {
    Objects.requireNonNull(title, "title");
    curves = List.copyOf(curves);
  }
}
