package org.hesspec.structure;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Exact nonzero spectra and traces of the low-rank parts of G in Papyan's convention
 * (docs/mathematics.md, "Class structure of G"; Papyan 2019, arXiv:1901.08244), from the Gram matrix of
 * the C^2 means {@code d_{c,c'}} of {@link ClassMeans}.
 *
 * <p>For {@code M = sum_k a_k u_k u_k^T = U diag(a) U^T} with {@code a_k >= 0}, the nonzero eigenvalues of
 * the p x p matrix M equal those of the small matrix {@code diag(sqrt a) U^T U diag(sqrt a)}. With
 * {@code K[(c,c'),(e,e')] = <d_{c,c'}, d_{e,e'}>} and {@code delta_c = 1/(C-1) sum_{c' != c} d_{c,c'}}:
 *
 * <pre>
 *   G0      = sum_c pi_c d_{c,c} d_{c,c}^T                                      level "self_means"  (rank &lt;= C)
 *   G1      = (C-1) sum_c pi_c delta_c delta_c^T                                level "class_means" (rank &lt;= C)
 *   G2      = sum_c pi_c sum_{c' != c} (d_{c,c'} - delta_c)(d_{c,c'} - delta_c)^T   level "cross_class" (rank &lt;= C(C-1))
 *   G_means = sum_c pi_c sum_c' d_{c,c'} d_{c,c'}^T = G0 + G1 + G2                level "means"       (rank &lt;= C^2)
 * </pre>
 *
 * The identity {@code G_means = G0 + G1 + G2} holds because the deviations {@code d_{c,c'} - delta_c} sum to
 * zero over {@code c' != c}. Every inner product of {@code delta_c} and of the deviations is a linear
 * combination of entries of K, so one C^2 x C^2 Gram matrix gives all four spectra; each trace is the trace of
 * its small matrix.
 */
public final class GramSpectra {

  private GramSpectra() {}

  /**
   * The four spectra, each sorted in descending order, and their traces.
   *
   * @param means eigenvalues of G_means (length C^2)
   * @param selfMeans eigenvalues of G0 (length C)
   * @param classMeans eigenvalues of G1 (length C)
   * @param crossClass eigenvalues of G2 (length C(C-1))
   * @param traceMeans tr(G_means)
   * @param traceSelf tr(G0)
   * @param traceClass tr(G1)
   * @param traceCross tr(G2)
   */
  public record Result(double[] means, double[] selfMeans, double[] classMeans, double[] crossClass,
      double traceMeans, double traceSelf, double traceClass, double traceCross) {}

  /** Spectra from the Gram matrix {@code k} of the C^2 means d_{c,c'} (index c*C + c') and the class proportions {@code pi}. */
  public static Result of(double[][] k, double[] pi) {
    int c = pi.length;
    int m = c * c;
    if (k.length != m) {
      throw new IllegalArgumentException("Gram matrix of size " + k.length + " for C=" + c + ", expected " + m);
    }
    double[][] means = new double[m][m];
    for (int a = 0; a < m; a++) {
      for (int b = 0; b < m; b++) {
        means[a][b] = Math.sqrt(pi[a / c] * pi[b / c]) * k[a][b];
      }
    }
    double[][] self = new double[c][c];
    for (int a = 0; a < c; a++) {
      for (int b = 0; b < c; b++) {
        self[a][b] = Math.sqrt(pi[a] * pi[b]) * k[a * c + a][b * c + b];
      }
    }
    if (c < 2) {
      return new Result(eigenvaluesDescending(means), eigenvaluesDescending(self), new double[c], new double[0],
          trace(means), trace(self), 0, 0);
    }
    double[][] deltaGram = classMeanGram(k, c);
    double[][] classLevel = new double[c][c];
    for (int a = 0; a < c; a++) {
      for (int b = 0; b < c; b++) {
        classLevel[a][b] = (c - 1) * Math.sqrt(pi[a] * pi[b]) * deltaGram[a][b];
      }
    }
    // <d_x, delta_b> for every mean x = (a, a2) and class b, indexed [x * c + b].
    double[] withDelta = new double[m * c];
    for (int x = 0; x < m; x++) {
      for (int b = 0; b < c; b++) {
        double s = 0;
        for (int b2 = 0; b2 < c; b2++) {
          if (b2 != b) {
            s += k[x][b * c + b2];
          }
        }
        withDelta[x * c + b] = s / (c - 1);
      }
    }
    // Deviations e_{a,a2} = d_{a,a2} - delta_a for a2 != a, in the order (a, a2) with a2 skipping a.
    int[] dev = new int[c * (c - 1)];
    int n = 0;
    for (int a = 0; a < c; a++) {
      for (int a2 = 0; a2 < c; a2++) {
        if (a2 != a) {
          dev[n++] = a * c + a2;
        }
      }
    }
    double[][] cross = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        int x = dev[i];
        int y = dev[j];
        int a = x / c;
        int b = y / c;
        double e = k[x][y] - withDelta[x * c + b] - withDelta[y * c + a] + deltaGram[a][b];
        cross[i][j] = Math.sqrt(pi[a] * pi[b]) * e;
      }
    }
    return new Result(eigenvaluesDescending(means), eigenvaluesDescending(self), eigenvaluesDescending(classLevel),
        eigenvaluesDescending(cross), trace(means), trace(self), trace(classLevel), trace(cross));
  }

  /**
   * The C x C Gram matrix of Papyan's class means, {@code <delta_a, delta_b> = 1/(C-1)^2 sum_{a2 != a, b2 != b}
   * K[(a,a2),(b,b2)]}.
   */
  public static double[][] classMeanGram(double[][] k, int c) {
    double[][] g = new double[c][c];
    if (c < 2) {
      return g;
    }
    double w = 1.0 / ((double) (c - 1) * (c - 1));
    for (int a = 0; a < c; a++) {
      for (int b = 0; b < c; b++) {
        double s = 0;
        for (int a2 = 0; a2 < c; a2++) {
          if (a2 == a) {
            continue;
          }
          for (int b2 = 0; b2 < c; b2++) {
            if (b2 != b) {
              s += k[a * c + a2][b * c + b2];
            }
          }
        }
        g[a][b] = s * w;
      }
    }
    return g;
  }

  private static double trace(double[][] a) {
    double t = 0;
    for (int i = 0; i < a.length; i++) {
      t += a[i][i];
    }
    return t;
  }

  /** Eigenvalues of a symmetric matrix, descending. */
  public static double[] eigenvaluesDescending(double[][] a) {
    int n = a.length;
    if (n == 0) {
      return new double[0];
    }
    DMatrixRMaj m = new DMatrixRMaj(a);
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, false, true);
    if (!eig.decompose(m)) {
      throw new ArithmeticException("symmetric eigendecomposition of a " + n + "x" + n + " Gram matrix failed");
    }
    double[] ev = new double[n];
    for (int i = 0; i < n; i++) {
      ev[i] = eig.getEigenvalue(i).getReal();
    }
    Arrays.sort(ev);
    for (int i = 0; i < n / 2; i++) {
      double t = ev[i];
      ev[i] = ev[n - 1 - i];
      ev[n - 1 - i] = t;
    }
    return ev;
  }
}
