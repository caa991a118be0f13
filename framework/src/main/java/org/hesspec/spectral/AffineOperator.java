package org.hesspec.spectral;

import org.hesspec.curvature.LinearOperator;

/**
 * {@code B = (A - center I) / halfWidth}: maps the spectrum of {@code A} from {@code [center -
 * halfWidth, center + halfWidth]} onto {@code [-1, 1]}. An eigenvalue {@code t} of {@code B} is
 * the eigenvalue {@code center + halfWidth t} of {@code A}. Costs one pass over the vector on top
 * of the product of {@code A}.
 */
public final class AffineOperator implements LinearOperator {
  private final LinearOperator a;
  private final double center;
  private final double halfWidth;

  public AffineOperator(LinearOperator a, double center, double halfWidth) {
    if (!(halfWidth > 0) || !Double.isFinite(halfWidth)) {
      throw new IllegalArgumentException("halfWidth must be finite and > 0, got " + halfWidth);
    }
    if (!Double.isFinite(center)) {
      throw new IllegalArgumentException("center must be finite, got " + center);
    }
    this.a = a;
    this.center = center;
    this.halfWidth = halfWidth;
  }

  public double center() {
    return center;
  }

  public double halfWidth() {
    return halfWidth;
  }

  /** Maps an eigenvalue of this operator back to the scale of {@code A}. */
  public double toOriginal(double t) {
    return center + halfWidth * t;
  }

  @Override
  public int dimension() {
    return a.dimension();
  }

  /** ((A - c) / h - shift) / scale = (A - (c + h shift)) / (h scale): the wrapped operator's recurrence, when it has one. */
  @Override
  public java.util.Optional<org.hesspec.curvature.RecurrenceVectors> recurrence(double shift, double scale) {
    return a.recurrence(center + halfWidth * shift, halfWidth * scale);
  }

  @Override
  public void apply(double[] v, double[] out) {
    a.apply(v, out);
    double inverse = 1.0 / halfWidth;
    for (int i = 0; i < out.length; i++) {
      out[i] = (out[i] - center * v[i]) * inverse;
    }
  }
}
