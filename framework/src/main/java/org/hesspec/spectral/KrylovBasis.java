package org.hesspec.spectral;

import java.util.stream.IntStream;
import org.hesspec.model.Precision;

/**
 * The basis vectors of a restarted Lanczos run, stored in float64 or float32 (half the memory of
 * the largest allocation of a top-k run). Arithmetic is always in double: a vector is widened when
 * it is read, and rounded once when it is stored.
 *
 * <p>Work is blocked over the entries (blocks of {@link Vectors#BLOCK}) and spread over the cores
 * when large; partial sums are kept per block and added in block order, so every result is
 * independent of the number of threads, which a bit-for-bit resume relies on.
 */
final class KrylovBasis {
  private final int p;
  private final Precision precision;
  private final double[][] doubles;
  private final float[][] floats;

  /** An empty basis of {@code capacity} slots for vectors of length p. */
  KrylovBasis(int p, int capacity, Precision precision) {
    this.p = p;
    this.precision = precision;
    this.doubles = precision == Precision.FLOAT64 ? new double[capacity][] : null;
    this.floats = precision == Precision.FLOAT32 ? new float[capacity][] : null;
  }

  int dimension() {
    return p;
  }

  Precision precision() {
    return precision;
  }

  /** Stores v (rounded to the basis precision) in slot i. */
  void set(int i, double[] v) {
    if (doubles != null) {
      if (doubles[i] == null) {
        doubles[i] = new double[p];
      }
      System.arraycopy(v, 0, doubles[i], 0, p);
    } else {
      if (floats[i] == null) {
        floats[i] = new float[p];
      }
      float[] f = floats[i];
      for (int e = 0; e < p; e++) {
        f[e] = (float) v[e];
      }
    }
  }

  /** Stores the raw float32 entries (checkpoints of a float32 basis). */
  void setRaw(int i, float[] v) {
    floats[i] = v;
  }

  /** Stores the raw float64 entries (checkpoints of a float64 basis). */
  void setRaw(int i, double[] v) {
    doubles[i] = v;
  }

  double[] rawDouble(int i) {
    return doubles[i];
  }

  float[] rawFloat(int i) {
    return floats[i];
  }

  /** Copies slot i, widened to double, into out. */
  void get(int i, double[] out) {
    if (doubles != null) {
      System.arraycopy(doubles[i], 0, out, 0, p);
    } else {
      float[] f = floats[i];
      for (int e = 0; e < p; e++) {
        out[e] = f[e];
      }
    }
  }

  /** Moves the vector of slot {@code from} to slot {@code to} (no copy); {@code from} is emptied. */
  void move(int from, int to) {
    if (from == to) {
      return;
    }
    if (doubles != null) {
      double[] keep = doubles[to];
      doubles[to] = doubles[from];
      doubles[from] = keep; // reused as storage later
    } else {
      float[] keep = floats[to];
      floats[to] = floats[from];
      floats[from] = keep;
    }
  }

  /**
   * Reorders the slots: slot t receives the vector of old slot {@code order[t]}; slots from {@code
   * order.length} on are freed. No vector is copied.
   */
  void permute(int[] order) {
    if (doubles != null) {
      double[][] old = doubles.clone();
      java.util.Arrays.fill(doubles, null);
      for (int t = 0; t < order.length; t++) {
        doubles[t] = old[order[t]];
      }
    } else {
      float[][] old = floats.clone();
      java.util.Arrays.fill(floats, null);
      for (int t = 0; t < order.length; t++) {
        floats[t] = old[order[t]];
      }
    }
  }

  /** Frees slot i. */
  void clear(int i) {
    if (doubles != null) {
      doubles[i] = null;
    } else {
      floats[i] = null;
    }
  }

  /** Frees every slot from {@code from} on. */
  void clearFrom(int from) {
    int n = doubles != null ? doubles.length : floats.length;
    for (int i = from; i < n; i++) {
      clear(i);
    }
  }

  /**
   * Removes from w its components along the slots {@code [0, count)}, by classical Gram-Schmidt
   * applied twice (Parlett, The Symmetric Eigenvalue Problem, sec. 6-9), and returns the total
   * coefficients {@code c + c'} of both passes: the projection {@code Q^T w} of the original w.
   */
  double[] orthogonalizeTwice(double[] w, int count) {
    double[] total = new double[count];
    if (count == 0) {
      return total;
    }
    for (int pass = 0; pass < 2; pass++) {
      double[] c = dots(w, count);
      subtract(w, count, c);
      for (int i = 0; i < count; i++) {
        total[i] += c[i];
      }
    }
    return total;
  }

  /** {@code Q^T w} over slots {@code [0, count)}, summed block by block in block order. */
  double[] dots(double[] w, int count) {
    int blocks = (p + Vectors.BLOCK - 1) / Vectors.BLOCK;
    double[][] partial = new double[blocks][count];
    forEachBlock(blocks, (long) p * count, b -> {
      int from = b * Vectors.BLOCK;
      int to = Math.min(p, from + Vectors.BLOCK);
      for (int i = 0; i < count; i++) {
        double s = 0;
        if (doubles != null) {
          double[] q = doubles[i];
          for (int e = from; e < to; e++) {
            s += q[e] * w[e];
          }
        } else {
          float[] q = floats[i];
          for (int e = from; e < to; e++) {
            s += q[e] * w[e];
          }
        }
        partial[b][i] = s;
      }
    });
    double[] sum = new double[count];
    for (double[] row : partial) {
      for (int i = 0; i < count; i++) {
        sum[i] += row[i];
      }
    }
    return sum;
  }

  /** {@code w -= Q c} over slots {@code [0, count)}. */
  void subtract(double[] w, int count, double[] c) {
    int blocks = (p + Vectors.BLOCK - 1) / Vectors.BLOCK;
    forEachBlock(blocks, (long) p * count, b -> {
      int from = b * Vectors.BLOCK;
      int to = Math.min(p, from + Vectors.BLOCK);
      for (int i = 0; i < count; i++) {
        double a = c[i];
        if (doubles != null) {
          double[] q = doubles[i];
          for (int e = from; e < to; e++) {
            w[e] -= a * q[e];
          }
        } else {
          float[] q = floats[i];
          for (int e = from; e < to; e++) {
            w[e] -= a * q[e];
          }
        }
      }
    });
  }

  /** {@code out = sum_i s[i] q_{offset + i}}, in double. */
  void combine(int offset, double[] s, double[] out) {
    int blocks = (p + Vectors.BLOCK - 1) / Vectors.BLOCK;
    forEachBlock(blocks, (long) p * s.length, b -> {
      int from = b * Vectors.BLOCK;
      int to = Math.min(p, from + Vectors.BLOCK);
      java.util.Arrays.fill(out, from, to, 0.0);
      for (int i = 0; i < s.length; i++) {
        double a = s[i];
        if (doubles != null) {
          double[] q = doubles[offset + i];
          for (int e = from; e < to; e++) {
            out[e] += a * q[e];
          }
        } else {
          float[] q = floats[offset + i];
          for (int e = from; e < to; e++) {
            out[e] += a * q[e];
          }
        }
      }
    });
  }

  /**
   * Replaces slots {@code [offset, offset + l)} by {@code Q S}, where Q is slots {@code [offset,
   * offset + n)} and S is n x l ({@code s[i][r]}), in place: block by block, the new entries of a
   * block are computed from the old ones before any is overwritten, so no second basis is
   * allocated (the thick restart of Wu and Simon 2000 needs only an n x block scratch).
   */
  void transform(int offset, int n, double[][] s, int l) {
    int blocks = (p + Vectors.BLOCK - 1) / Vectors.BLOCK;
    forEachBlock(blocks, (long) p * n * l / Math.max(1, n), b -> {
      int from = b * Vectors.BLOCK;
      int to = Math.min(p, from + Vectors.BLOCK);
      double[][] out = new double[l][to - from];
      for (int i = 0; i < n; i++) {
        for (int r = 0; r < l; r++) {
          double a = s[i][r];
          double[] o = out[r];
          if (doubles != null) {
            double[] q = doubles[offset + i];
            for (int e = from; e < to; e++) {
              o[e - from] += a * q[e];
            }
          } else {
            float[] q = floats[offset + i];
            for (int e = from; e < to; e++) {
              o[e - from] += a * q[e];
            }
          }
        }
      }
      for (int r = 0; r < l; r++) {
        if (doubles != null) {
          System.arraycopy(out[r], 0, doubles[offset + r], from, to - from);
        } else {
          float[] q = floats[offset + r];
          for (int e = from; e < to; e++) {
            q[e] = (float) out[r][e - from];
          }
        }
      }
    });
  }

  private static void forEachBlock(int blocks, long work, java.util.function.IntConsumer body) {
    IntStream range = IntStream.range(0, blocks);
    (work >= Vectors.PARALLEL_WORK ? range.parallel() : range).forEach(body);
  }
}
