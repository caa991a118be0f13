package org.hesspec.spectral;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The blocked, multi-threaded Gram-Schmidt of {@link Vectors#orthogonalizeTwice}: on 30 orthonormal
 * vectors of 200,003 entries (large enough to run in parallel, not a multiple of the block) the
 * result is orthogonal to the basis to rounding (|B^T w| <= 1e-13 |w|: two passes leave eps times a
 * small constant), equals plain sequential classical Gram-Schmidt twice to 1e-13 relative (other
 * summation order), and is the same bit for bit on every call (partial sums in block order).
 */
class VectorsTest {

  static final int P = 200_003;
  static final int K = 30;

  @Test
  void orthogonalisesLikeSequentialGramSchmidtAndIsDeterministic() {
    Random r = new Random(17);
    double[][] basis = new double[K][];
    for (int i = 0; i < K; i++) {
      double[] q = r.doubles(P, -1, 1).toArray();
      for (int j = 0; j < i; j++) { // modified Gram-Schmidt, twice, to build an orthonormal basis
        for (int pass = 0; pass < 2; pass++) {
          double c = Vectors.dot(basis[j], q);
          Vectors.axpy(-c, basis[j], q);
        }
      }
      Vectors.scale(1 / Vectors.norm(q), q);
      basis[i] = q;
    }
    assertTrue((long) P * K >= Vectors.PARALLEL_WORK);
    double[] w0 = r.doubles(P, -1, 1).toArray();
    for (int i = 0; i < K; i++) {
      Vectors.axpy(3.0 * (i + 1), basis[i], w0); // strong components along the basis
    }
    double[] w = w0.clone();
    Vectors.orthogonalizeTwice(w, basis, K, new double[K]);
    double norm = Vectors.norm(w);
    for (int i = 0; i < K; i++) {
      assertTrue(Math.abs(Vectors.dot(basis[i], w)) <= 1e-13 * norm, "component " + i + ": " + Vectors.dot(basis[i], w));
    }
    double[] reference = w0.clone();
    for (int pass = 0; pass < 2; pass++) {
      double[] c = new double[K];
      for (int i = 0; i < K; i++) {
        c[i] = Vectors.dot(basis[i], reference);
      }
      for (int i = 0; i < K; i++) {
        Vectors.axpy(-c[i], basis[i], reference);
      }
    }
    double diff = 0;
    for (int k = 0; k < P; k++) {
      diff = Math.max(diff, Math.abs(w[k] - reference[k]));
    }
    assertTrue(diff <= 1e-13 * Vectors.norm(reference), "differs from sequential CGS2 by " + diff);
    double[] again = w0.clone();
    Vectors.orthogonalizeTwice(again, basis, K, new double[K]);
    assertArrayEquals(w, again);
  }
}
