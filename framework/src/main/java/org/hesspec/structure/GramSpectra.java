package org.hesspec.structure;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Exact nonzero spectra of the low-rank parts of G, from Gram matrices of the class means.
 *
 * <p>For {@code M = sum_k a_k u_k u_k^T = U diag(a) U^T} with {@code a_k >= 0}, the nonzero
 * eigenvalues of M (p x p) equal those of the small matrix {@code diag(sqrt a) U^T U diag(sqrt a)}.
 * With {@code K} the Gram matrix of the cross-class means {@code delta_{c,c'}} (see {@link ClassMeans}):
 *
 * <pre>
 *   G_means = sum_c pi_c sum_c' delta_{c,c'} delta_{c,c'}^T                     level "means"       (rank &lt;= C^2)
 *   G_class = C sum_c pi_c delta_c delta_c^T                                   level "class_means" (rank &lt;= C)
 *   G_cross = sum_c pi_c sum_c' (delta_{c,c'} - delta_c)(delta_{c,c'} - delta_c)^T   level "cross_class"
 *   G_means = G_class + G_cross
 * </pre>
 *
 * All inner products of {@code delta_c} and {@code delta_{c,c'} - delta_c} are linear combinations of
 * entries of K, so one C^2 x C^2 Gram matrix gives all three spectra.
 */
public final class GramSpectra {

  private GramSpectra() {}

  /** The three spectra, each sorted in descending order (length C^2, C and C^2). */
  public record Result(double[] means, double[] classMeans, double[] crossClass) {}

  /** Spectra from the Gram matrix {@code k} of the C^2 cross-class means and the class proportions {@code pi}. */
  public static Result of(double[][] k, double[] pi) {
    int c = pi.length;
    int m = c * c;
    if (k.length != m) {
      throw new IllegalArgumentException("Gram matrix of size " + k.length + " for C=" + c + ", expected " + m);
    }
    // Level "means": weights pi_c on delta_{c,c'}.
    double[][] means = new double[m][m];
    for (int a = 0; a < m; a++) {
      for (int b = 0; b < m; b++) {
        means[a][b] = Math.sqrt(pi[a / c] * pi[b / c]) * k[a][b];
      }
    }
    // Class means delta_c = (1/C) sum_c' delta_{c,c'}: <delta_c, delta_e> = (1/C^2) sum_{c',e'} K.
    double[][] cm = new double[c][c];
    for (int a = 0; a < c; a++) {
      for (int b = 0; b < c; b++) {
        double s = 0;
        for (int a2 = 0; a2 < c; a2++) {
          for (int b2 = 0; b2 < c; b2++) {
            s += k[a * c + a2][b * c + b2];
          }
        }
        cm[a][b] = s / ((double) c * c);
      }
    }
    double[][] classLevel = new double[c][c];
    for (int a = 0; a < c; a++) {
      for (int b = 0; b < c; b++) {
        classLevel[a][b] = c * Math.sqrt(pi[a] * pi[b]) * cm[a][b];
      }
    }
    // Cross-class deviations e_{c,c'} = delta_{c,c'} - delta_c.
    double[] rowMean = new double[m * c]; // <delta_{a,a2}, delta_b> indexed [(a*c+a2)*c + b]
    for (int x = 0; x < m; x++) {
      for (int b = 0; b < c; b++) {
        double s = 0;
        for (int b2 = 0; b2 < c; b2++) {
          s += k[x][b * c + b2];
        }
        rowMean[x * c + b] = s / c;
      }
    }
    double[][] cross = new double[m][m];
    for (int x = 0; x < m; x++) {
      for (int y = 0; y < m; y++) {
        int a = x / c;
        int b = y / c;
        double dev = k[x][y] - rowMean[x * c + b] - rowMean[y * c + a] + cm[a][b];
        cross[x][y] = Math.sqrt(pi[a] * pi[b]) * dev;
      }
    }
    return new Result(eigenvaluesDescending(means), eigenvaluesDescending(classLevel), eigenvaluesDescending(cross));
  }

  /** Eigenvalues of a symmetric matrix, descending. */
  public static double[] eigenvaluesDescending(double[][] a) {
    int n = a.length;
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
