package org.hesspec.spectral;

import org.hesspec.curvature.LinearOperator;

/**
 * A symmetric matrix held densely in row-major order, as a {@link LinearOperator}: the synthetic
 * operator of tests (random matrix ensembles) and of small dense references. A product is one pass
 * over the p^2 entries.
 */
public final class DenseMatrixOperator implements LinearOperator {
  private final int p;
  private final double[] entries;

  /**
   * @param p the dimension
   * @param rowMajor the p x p entries, {@code a[i * p + j] = A_ij}, assumed symmetric (not copied,
   *     not checked: {@link DenseSpectrum} measures the asymmetry of any operator)
   */
  public DenseMatrixOperator(int p, double[] rowMajor) {
    if (p < 1) {
      throw new IllegalArgumentException("p must be >= 1, got " + p);
    }
    if ((long) p * p != rowMajor.length) {
      throw new IllegalArgumentException(
          "rowMajor must have p * p = " + (long) p * p + " entries, got " + rowMajor.length);
    }
    this.p = p;
    this.entries = rowMajor;
  }

  @Override
  public int dimension() {
    return p;
  }

  /** The entry {@code A_ij}. */
  public double get(int i, int j) {
    return entries[i * p + j];
  }

  @Override
  public void apply(double[] v, double[] out) {
    Vectors.requireLength(v, p, "v");
    Vectors.requireLength(out, p, "out");
    for (int i = 0; i < p; i++) {
      int row = i * p;
      // Four partial sums break the dependency chain of a single accumulator.
      double s0 = 0;
      double s1 = 0;
      double s2 = 0;
      double s3 = 0;
      int j = 0;
      for (; j + 3 < p; j += 4) {
        s0 += entries[row + j] * v[j];
        s1 += entries[row + j + 1] * v[j + 1];
        s2 += entries[row + j + 2] * v[j + 2];
        s3 += entries[row + j + 3] * v[j + 3];
      }
      for (; j < p; j++) {
        s0 += entries[row + j] * v[j];
      }
      out[i] = (s0 + s1) + (s2 + s3);
    }
  }
}
