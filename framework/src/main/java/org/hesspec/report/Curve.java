package org.hesspec.report;

import java.util.Objects;

/**
 * One line of a plot: x and y of equal length, with the legend label. A dashed curve is drawn
 * with a dashed stroke, e.g. the test split against the solid train split; curves with the same
 * label get the same colour in every figure.
 *
 * @param label legend text, e.g. {@code Hessian}, {@code G (train)}
 * @param x abscissae, ascending for densities
 * @param y ordinates
 * @param dashed whether to draw it dashed
 */
public record Curve(String label, double[] x, double[] y, boolean dashed) {

  public Curve {
    Objects.requireNonNull(label, "label");
    if (x.length != y.length) {
      throw new IllegalArgumentException(
          "curve '" + label + "': " + x.length + " x values but " + y.length + " y values");
    }
    x = x.clone();
    y = y.clone();
  }

  /** A solid curve. */
  public Curve(String label, double[] x, double[] y) {
    this(label, x, y, false);
  }

  /** This curve, dashed. */
  public Curve asDashed() {
    return new Curve(label, x, y, true);
  }

  @Override
  public double[] x() {
    return x.clone();
  }

  @Override
  public double[] y() {
    return y.clone();
  }

  int size() {
    return x.length;
  }

  double xAt(int i) {
    return x[i];
  }

  double yAt(int i) {
    return y[i];
  }
}
