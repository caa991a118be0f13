package org.hesspec.structure;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The within-class variability collapse {@code NC1 = tr(Sigma_W Sigma_B^+) / C} of features {@code h_i}
 * (Papyan, Han and Donoho 2020, "Prevalence of neural collapse during the terminal phase of deep learning
 * training", PNAS, section "Results", NC1):
 *
 * <pre>
 *   mu_c    = mean_{i in c} h_i,   mu_G = mean_i h_i
 *   Sigma_W = 1/n sum_i (h_i - mu_{y_i})(h_i - mu_{y_i})^T
 *   Sigma_B = 1/C sum_c (mu_c - mu_G)(mu_c - mu_G)^T
 * </pre>
 *
 * It tends to 0 as the features of each class collapse to their class mean. {@code Sigma_B} has rank at
 * most C - 1, so its pseudo-inverse is formed from the C x C Gram matrix of the centred class means: with
 * {@code M = [mu_c - mu_G]} and {@code M^T M = V S^2 V^T}, {@code Sigma_B^+ = C sum_j u_j u_j^T / s_j^2},
 * {@code u_j = M v_j / s_j}, so {@code tr(Sigma_W Sigma_B^+) = C sum_j (1/n sum_i <u_j, h_i - mu_{y_i}>^2) / s_j^2}
 * and no d x d matrix is built. Directions with {@code s_j^2 <= 1e-12 max s^2} are rounding, not rank.
 * C counts the classes that have examples.
 */
public final class NeuralCollapse {

  private NeuralCollapse() {}

  /** Relative floor below which an eigenvalue of M^T M is treated as zero. */
  static final double RANK_FLOOR = 1e-12;

  /**
   * NC1 of the features {@code h} (n x d) with labels in [0, numClasses).
   *
   * @return NC1, or NaN when fewer than two classes have examples or the class means coincide
   */
  public static double nc1(double[][] h, int[] labels, int numClasses) {
    int n = h.length;
    if (n != labels.length) {
      throw new IllegalArgumentException(n + " feature rows for " + labels.length + " labels");
    }
    if (n == 0) {
      return Double.NaN;
    }
    int d = h[0].length;
    double[][] mu = new double[numClasses][d];
    int[] count = new int[numClasses];
    double[] global = new double[d];
    for (int i = 0; i < n; i++) {
      if (h[i].length != d) {
        throw new IllegalArgumentException("feature row " + i + " has width " + h[i].length + ", expected " + d);
      }
      int y = labels[i];
      if (y < 0 || y >= numClasses) {
        throw new IllegalArgumentException("label " + y + " of example " + i + " outside [0, " + numClasses + ")");
      }
      count[y]++;
      for (int j = 0; j < d; j++) {
        mu[y][j] += h[i][j];
        global[j] += h[i][j] / n;
      }
    }
    int present = 0;
    for (int c = 0; c < numClasses; c++) {
      if (count[c] > 0) {
        present++;
        for (int j = 0; j < d; j++) {
          mu[c][j] /= count[c];
        }
      }
    }
    if (present < 2) {
      return Double.NaN;
    }
    int[] classes = new int[present];
    for (int c = 0, k = 0; c < numClasses; c++) {
      if (count[c] > 0) {
        classes[k++] = c;
      }
    }
    // Centred class means as columns of M (d x present); Gram M^T M.
    double[][] m = new double[present][d];
    for (int a = 0; a < present; a++) {
      for (int j = 0; j < d; j++) {
        m[a][j] = mu[classes[a]][j] - global[j];
      }
    }
    DMatrixRMaj gram = new DMatrixRMaj(present, present);
    for (int a = 0; a < present; a++) {
      for (int b = a; b < present; b++) {
        double s = 0;
        for (int j = 0; j < d; j++) {
          s += m[a][j] * m[b][j];
        }
        gram.set(a, b, s);
        gram.set(b, a, s);
      }
    }
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(present, true, true);
    if (!eig.decompose(gram)) {
      throw new ArithmeticException("eigendecomposition of the " + present + "x" + present + " class-mean Gram matrix failed");
    }
    double max = 0;
    for (int k = 0; k < present; k++) {
      max = Math.max(max, eig.getEigenvalue(k).getReal());
    }
    if (!(max > 0)) {
      return Double.NaN;
    }
    double sum = 0;
    double[] u = new double[d];
    for (int k = 0; k < present; k++) {
      double s2 = eig.getEigenvalue(k).getReal();
      if (s2 <= RANK_FLOOR * max) {
        continue;
      }
      DMatrixRMaj v = eig.getEigenVector(k);
      java.util.Arrays.fill(u, 0);
      double s = Math.sqrt(s2);
      for (int a = 0; a < present; a++) {
        double va = v.get(a) / s;
        for (int j = 0; j < d; j++) {
          u[j] += m[a][j] * va;
        }
      }
      double within = 0;
      for (int i = 0; i < n; i++) {
        double t = 0;
        double[] centre = mu[labels[i]];
        for (int j = 0; j < d; j++) {
          t += u[j] * (h[i][j] - centre[j]);
        }
        within += t * t;
      }
      sum += (within / n) / s2;
    }
    // tr(Sigma_W Sigma_B^+) = C_present * sum; NC1 divides by C_present again.
    return sum;
  }
}
