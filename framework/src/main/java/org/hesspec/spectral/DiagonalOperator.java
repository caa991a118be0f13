package org.hesspec.spectral;

import org.hesspec.curvature.LinearOperator;

/** The diagonal matrix {@code diag(d)} as a {@link LinearOperator}; its spectrum is {@code d}. */
public final class DiagonalOperator implements LinearOperator {
  private final double[] diagonal;

  /** @param diagonal the eigenvalues, length >= 1 (copied) */
  public DiagonalOperator(double[] diagonal) {
    if (diagonal.length < 1) {
      throw new IllegalArgumentException("diagonal must have length >= 1, got 0");
    }
    this.diagonal = diagonal.clone();
  }

  @Override
  public int dimension() {
    return diagonal.length;
  }

  @Override
  public void apply(double[] v, double[] out) {
    Vectors.requireLength(v, diagonal.length, "v");
    Vectors.requireLength(out, diagonal.length, "out");
    for (int i = 0; i < diagonal.length; i++) {
      out[i] = diagonal[i] * v[i];
    }
  }
}
