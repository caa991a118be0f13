package org.hesspec.spectral;

/**
 * Tight loops over {@code double[]} used by the Lanczos step. No allocation: in production a vector
 * holds up to tens of millions of entries and the step's own work must stay small next to the
 * operator product.
 */
final class Vectors {
  private Vectors() {}

  static double dot(double[] x, double[] y) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += x[i] * y[i];
    }
    return s;
  }

  static double norm(double[] x) {
    return Math.sqrt(dot(x, x));
  }

  /** {@code y += a x}. */
  static void axpy(double a, double[] x, double[] y) {
    for (int i = 0; i < x.length; i++) {
      y[i] += a * x[i];
    }
  }

  /** {@code x *= a}. */
  static void scale(double a, double[] x) {
    for (int i = 0; i < x.length; i++) {
      x[i] *= a;
    }
  }

  /**
   * Removes from {@code w} its components along the orthonormal vectors {@code basis[0..count)},
   * by classical Gram-Schmidt applied twice ("twice is enough", Parlett, The Symmetric Eigenvalue
   * Problem, sec. 6-9): one pass leaves a residue of order eps times the condition of the basis,
   * the second pass brings it to the rounding level.
   *
   * @param coefficients scratch of length at least {@code count}
   */
  static void orthogonalizeTwice(double[] w, double[][] basis, int count, double[] coefficients) {
    for (int pass = 0; pass < 2; pass++) {
      for (int i = 0; i < count; i++) {
        coefficients[i] = dot(basis[i], w);
      }
      for (int i = 0; i < count; i++) {
        axpy(-coefficients[i], basis[i], w);
      }
    }
  }

  static void requireLength(double[] v, int length, String name) {
    if (v.length != length) {
      throw new IllegalArgumentException(
          name + " has length " + v.length + ", expected the operator dimension " + length);
    }
  }
}
