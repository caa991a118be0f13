package org.hesspec.spectral;

import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.hesspec.curvature.LinearOperator;

/** Synthetic operators with known spectra for the tests. */
final class RandomMatrices {
  private RandomMatrices() {}

  static double gaussian(SplittableRandom random) {
    double u1 = 1.0 - random.nextDouble();
    double u2 = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /**
   * The Gaussian orthogonal ensemble scaled so that its spectrum converges to the semicircle on
   * [-2, 2]: {@code A = (G + G^T) / sqrt(2 p)}, off-diagonal variance 1/p.
   */
  static DenseMatrixOperator goe(int p, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] a = new double[p * p];
    double scale = 1.0 / Math.sqrt(2.0 * p);
    for (int i = 0; i < p; i++) {
      for (int j = 0; j <= i; j++) {
        double g = (gaussian(random) + gaussian(random)) * scale;
        a[i * p + j] = g;
        a[j * p + i] = g;
      }
    }
    return new DenseMatrixOperator(p, a);
  }

  /** A p x n matrix with i.i.d. entries from {@code entry}, row-major. */
  static double[] matrix(int p, int n, DoubleSupplier entry) {
    double[] z = new double[p * n];
    for (int i = 0; i < z.length; i++) {
      z[i] = entry.getAsDouble();
    }
    return z;
  }

  /**
   * The sample covariance {@code W = Z Z^T / n} of a p x n matrix, matrix-free: {@code W v = Z
   * (Z^T v) / n}, 4 p n flops per product. Not thread-safe (it keeps a scratch vector).
   */
  static final class Wishart implements LinearOperator {
    final int p;
    final int n;
    final double[] z;
    private final double[] scratch;

    Wishart(int p, int n, double[] z) {
      this.p = p;
      this.n = n;
      this.z = z;
      this.scratch = new double[n];
    }

    static Wishart gaussian(int p, int n, long seed) {
      SplittableRandom random = new SplittableRandom(seed);
      return new Wishart(p, n, matrix(p, n, () -> RandomMatrices.gaussian(random)));
    }

    /** A copy sharing Z, with its own scratch: one per worker thread. */
    Wishart copy() {
      return new Wishart(p, n, z);
    }

    @Override
    public int dimension() {
      return p;
    }

    @Override
    public void apply(double[] v, double[] out) {
      double[] t = scratch;
      java.util.Arrays.fill(t, 0);
      for (int i = 0; i < p; i++) {
        double vi = v[i];
        int row = i * n;
        for (int k = 0; k < n; k++) {
          t[k] += z[row + k] * vi;
        }
      }
      double inv = 1.0 / n;
      for (int i = 0; i < p; i++) {
        int row = i * n;
        double s = 0;
        for (int k = 0; k < n; k++) {
          s += z[row + k] * t[k];
        }
        out[i] = s * inv;
      }
    }
  }

  /** {@code A + B}. */
  static LinearOperator sum(LinearOperator a, LinearOperator b) {
    return new LinearOperator() {
      private final double[] scratch = new double[a.dimension()];

      @Override
      public int dimension() {
        return a.dimension();
      }

      @Override
      public void apply(double[] v, double[] out) {
        a.apply(v, out);
        b.apply(v, scratch);
        for (int i = 0; i < out.length; i++) {
          out[i] += scratch[i];
        }
      }
    };
  }

  /** Counts products; throws after {@code limit} of them (a simulated crash). */
  static final class Counting implements LinearOperator {
    final LinearOperator a;
    final int limit;
    int products;

    Counting(LinearOperator a, int limit) {
      this.a = a;
      this.limit = limit;
    }

    @Override
    public int dimension() {
      return a.dimension();
    }

    @Override
    public void apply(double[] v, double[] out) {
      if (products == limit) {
        throw new IllegalStateException("simulated crash after " + limit + " products");
      }
      products++;
      a.apply(v, out);
    }
  }
}
