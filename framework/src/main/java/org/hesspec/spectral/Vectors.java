package org.hesspec.spectral;

/**
 * Tight loops over {@code double[]} used by the Lanczos step. No p-length allocation: in
 * production a vector holds up to tens of millions of entries and the step's own work must stay
 * small next to the operator product.
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

  /** Entries per block of {@link #orthogonalizeTwice}: the blocks of all basis vectors stay in cache between two uses. */
  static final int BLOCK = 4096;

  /** Below this many multiply-adds per sweep over the basis, {@link #orthogonalizeTwice} stays on the calling thread. */
  static final long PARALLEL_WORK = 1L << 22;

  /**
   * Removes from {@code w} its components along the orthonormal vectors {@code basis[0..count)},
   * by classical Gram-Schmidt applied twice ("twice is enough", Parlett, The Symmetric Eigenvalue
   * Problem, sec. 6-9): one pass leaves a residue of order eps times the condition of the basis,
   * the second pass brings it to the rounding level.
   *
   * <pre>
   *   c  = B^T w;   w <- w - B c;   c' = B^T w;   w <- w - B c'
   * </pre>
   *
   * The work is memory traffic over the basis (tens of vectors of tens of millions of entries),
   * so it runs block by block: the first subtraction and the second pass's dot products share one
   * read of each block of B (three sweeps over B instead of four), and blocks are spread over the
   * cores. Each block's partial dot products are kept apart and summed in block order, so the
   * result does not depend on the number of threads.
   *
   * @param coefficients scratch of length at least {@code count}; holds c' on return
   */
  static void orthogonalizeTwice(double[] w, double[][] basis, int count, double[] coefficients) {
    if (count == 0) {
      return;
    }
    int p = w.length;
    int blocks = (p + BLOCK - 1) / BLOCK;
    boolean parallel = (long) p * count >= PARALLEL_WORK;
    double[][] partial = new double[blocks][count];
    // c = B^T w
    forEachBlock(blocks, parallel, b -> {
      int from = b * BLOCK;
      int to = Math.min(p, from + BLOCK);
      for (int i = 0; i < count; i++) {
        partial[b][i] = dot(basis[i], w, from, to);
      }
    });
    double[] c = sumInBlockOrder(partial, count);
    // w <- w - B c and c' = B^T w, one read of each block of B for both
    forEachBlock(blocks, parallel, b -> {
      int from = b * BLOCK;
      int to = Math.min(p, from + BLOCK);
      for (int i = 0; i < count; i++) {
        axpy(-c[i], basis[i], w, from, to);
      }
      for (int i = 0; i < count; i++) {
        partial[b][i] = dot(basis[i], w, from, to);
      }
    });
    double[] c2 = sumInBlockOrder(partial, count);
    // w <- w - B c'
    forEachBlock(blocks, parallel, b -> {
      int from = b * BLOCK;
      int to = Math.min(p, from + BLOCK);
      for (int i = 0; i < count; i++) {
        axpy(-c2[i], basis[i], w, from, to);
      }
    });
    System.arraycopy(c2, 0, coefficients, 0, count);
  }

  private static void forEachBlock(int blocks, boolean parallel, java.util.function.IntConsumer body) {
    java.util.stream.IntStream range = java.util.stream.IntStream.range(0, blocks);
    (parallel ? range.parallel() : range).forEach(body);
  }

  private static double[] sumInBlockOrder(double[][] partial, int count) {
    double[] sum = new double[count];
    for (double[] row : partial) {
      for (int i = 0; i < count; i++) {
        sum[i] += row[i];
      }
    }
    return sum;
  }

  private static double dot(double[] x, double[] y, int from, int to) {
    double s = 0;
    for (int k = from; k < to; k++) {
      s += x[k] * y[k];
    }
    return s;
  }

  private static void axpy(double a, double[] x, double[] y, int from, int to) {
    for (int k = from; k < to; k++) {
      y[k] += a * x[k];
    }
  }

  static void requireLength(double[] v, int length, String name) {
    if (v.length != length) {
      throw new IllegalArgumentException(
          name + " has length " + v.length + ", expected the operator dimension " + length);
    }
  }
}
