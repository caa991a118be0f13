package org.hesspec.structure;

import org.hesspec.curvature.LinearOperator;

/**
 * Spectral deflation: removes known eigenpairs from a symmetric operator.
 *
 * <pre>
 *   A_defl = A - sum_{j=1..k} lambda_j q_j q_j^T
 * </pre>
 *
 * When the {@code q_j} are orthonormal eigenvectors of A with eigenvalues {@code lambda_j}, A_defl has
 * the same eigenvectors, with eigenvalue 0 on {@code span(q_1..q_k)} and unchanged eigenvalues on its
 * orthogonal complement. Papyan (2019, section on attribution of outliers) measures the bulk of the
 * Hessian this way: deflating the C outliers leaves the bulk's density free of their spikes. With
 * approximate eigenpairs (Ritz pairs) the residual on the subspace is of the size of their residuals.
 */
public final class Deflation {

  private Deflation() {}

  /** Orthonormality tolerance: Ritz vectors from fully reorthogonalised Lanczos are orthonormal to ~1e-12. */
  public static final double ORTHONORMALITY_TOLERANCE = 1e-8;

  /**
   * Copies of {@code q} made orthonormal in float64 by two passes of modified Gram-Schmidt. Ritz vectors
   * from a float32 Krylov basis are orthonormal only to float32 rounding (about 1e-8 in their inner
   * products), above {@link #ORTHONORMALITY_TOLERANCE}; re-orthonormalising moves them by that rounding and
   * keeps the span. A vector that is (numerically) in the span of the previous ones is an error.
   */
  public static double[][] orthonormalized(double[][] q) {
    double[][] out = new double[q.length][];
    for (int j = 0; j < q.length; j++) {
      double[] v = q[j].clone();
      double before = Math.sqrt(dot(v, v));
      for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < j; i++) {
          double c = dot(out[i], v);
          for (int t = 0; t < v.length; t++) {
            v[t] -= c * out[i][t];
          }
        }
      }
      double norm = Math.sqrt(dot(v, v));
      if (!(norm > 1e-6 * before)) {
        throw new IllegalArgumentException("vector " + j + " is in the span of the previous ones");
      }
      for (int t = 0; t < v.length; t++) {
        v[t] /= norm;
      }
      out[j] = v;
    }
    return out;
  }

  /**
   * Wraps {@code a} as {@code a - sum_j lambda_j q_j q_j^T}. The vectors and values are copied.
   *
   * @param q k orthonormal vectors of length {@code a.dimension()}
   * @param lambda their k eigenvalues
   * @throws IllegalArgumentException on a length mismatch or when {@code |<q_i, q_j> - delta_ij|} exceeds
   *     {@link #ORTHONORMALITY_TOLERANCE}
   */
  public static LinearOperator of(LinearOperator a, double[][] q, double[] lambda) {
    int p = a.dimension();
    int k = q.length;
    if (lambda.length != k) {
      throw new IllegalArgumentException(k + " vectors but " + lambda.length + " eigenvalues");
    }
    double[][] qs = new double[k][];
    for (int j = 0; j < k; j++) {
      if (q[j].length != p) {
        throw new IllegalArgumentException("vector " + j + " has length " + q[j].length + ", operator dimension " + p);
      }
      if (!Double.isFinite(lambda[j])) {
        throw new IllegalArgumentException("eigenvalue " + j + " is " + lambda[j]);
      }
      qs[j] = q[j].clone();
    }
    for (int i = 0; i < k; i++) {
      for (int j = 0; j <= i; j++) {
        double d = dot(qs[i], qs[j]) - (i == j ? 1 : 0);
        if (!(Math.abs(d) <= ORTHONORMALITY_TOLERANCE)) {
          throw new IllegalArgumentException("vectors are not orthonormal: <q_" + i + ", q_" + j + "> - delta = " + d);
        }
      }
    }
    double[] ls = lambda.clone();
    return new LinearOperator() {
      @Override
      public int dimension() {
        return p;
      }

      @Override
      public void apply(double[] v, double[] out) {
        a.apply(v, out);
        for (int j = 0; j < k; j++) {
          double c = ls[j] * dot(qs[j], v);
          double[] qj = qs[j];
          for (int i = 0; i < p; i++) {
            out[i] -= c * qj[i];
          }
        }
      }
    };
  }

  private static double dot(double[] x, double[] y) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += x[i] * y[i];
    }
    return s;
  }
}
