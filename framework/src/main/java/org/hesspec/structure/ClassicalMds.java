package org.hesspec.structure;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Classical (Torgerson) multidimensional scaling: planar pictures of the class means and cross-class
 * means, as in the MDS figures of Papyan (2019), "Measurements of three-level hierarchical structure
 * in the outliers in the spectrum of deepnet Hessians".
 *
 * <p>For n points {@code y_1..y_n} with Gram matrix {@code K_ab = <y_a, y_b>} or squared distances
 * {@code D_ab = |y_a - y_b|^2}, with the centering matrix {@code J = I - (1/n) 1 1^T}:
 *
 * <pre>
 *   B = J K J                    (from a Gram matrix: inner products of the centred points)
 *   B = -1/2 J D J               (from squared distances; the same B when D comes from points)
 *   B = V diag(l_1 >= l_2 >= ...) V^T
 *   X = V_k diag(sqrt(l_1..l_k))      n x k coordinates, row a = point a
 *   share = sum_{i<=k} max(l_i, 0) / sum_{i} max(l_i, 0)
 * </pre>
 *
 * When the input is Euclidean (B is positive semi-definite) and the points span at most k
 * dimensions, the rows of X reproduce all pairwise distances exactly and share = 1; otherwise X is
 * the best rank-k approximation of B in Frobenius norm and share says how much of the total
 * (positive) variance the k axes keep. An axis whose eigenvalue is not positive gets coordinate 0.
 * The coordinates are unique only up to rotation and reflection (and, for equal eigenvalues, mixing
 * of the tied axes).
 */
public final class ClassicalMds {

  private ClassicalMds() {}

  /**
   * An embedding.
   *
   * @param coordinates n x k coordinates (row a = point a)
   * @param eigenvalues the k largest eigenvalues of B, descending (the variance along each axis, times n)
   * @param allEigenvalues every eigenvalue of B, descending (negative ones flag non-Euclidean input)
   * @param varianceShare {@code sum_{i<=k} max(l_i,0) / sum_i max(l_i,0)} (NaN when B has no positive eigenvalue)
   * @param k the number of axes
   */
  public record Embedding(double[][] coordinates, double[] eigenvalues, double[] allEigenvalues, double varianceShare, int k) {}

  /** MDS of points given by their Gram matrix (inner products), into k dimensions. */
  public static Embedding fromGram(double[][] gram, int k) {
    int n = checkSquare(gram, "Gram matrix", k);
    // J K J: subtract row means and column means, add back the grand mean.
    double[] row = new double[n];
    double grand = 0;
    for (int a = 0; a < n; a++) {
      for (int b = 0; b < n; b++) {
        row[a] += gram[a][b];
      }
      grand += row[a];
      row[a] /= n;
    }
    grand /= (double) n * n;
    double[][] b = new double[n][n];
    for (int a = 0; a < n; a++) {
      for (int c = 0; c < n; c++) {
        // Symmetrise: a Gram matrix assembled from floating-point dot products may be asymmetric in the last bit.
        double kac = 0.5 * (gram[a][c] + gram[c][a]);
        b[a][c] = kac - row[a] - row[c] + grand;
      }
    }
    return embed(b, k);
  }

  /** MDS of points given by their squared pairwise distances, into k dimensions. */
  public static Embedding fromSquaredDistances(double[][] squaredDistances, int k) {
    int n = checkSquare(squaredDistances, "squared distance matrix", k);
    for (int a = 0; a < n; a++) {
      for (int c = 0; c < n; c++) {
        if (!(squaredDistances[a][c] >= 0)) {
          throw new IllegalArgumentException("squared distances must be >= 0, entry (" + a + "," + c + ") is " + squaredDistances[a][c]);
        }
      }
    }
    double[][] half = new double[n][n];
    for (int a = 0; a < n; a++) {
      for (int c = 0; c < n; c++) {
        half[a][c] = -0.5 * squaredDistances[a][c];
      }
    }
    // -1/2 J D J is J K' J with K' = -D/2: the same double centering.
    return fromGram(half, k);
  }

  /** Squared Euclidean distances between the rows of {@code points}. */
  public static double[][] squaredDistances(double[][] points) {
    int n = points.length;
    double[][] d = new double[n][n];
    for (int a = 0; a < n; a++) {
      for (int c = a + 1; c < n; c++) {
        double s = 0;
        for (int j = 0; j < points[a].length; j++) {
          double t = points[a][j] - points[c][j];
          s += t * t;
        }
        d[a][c] = s;
        d[c][a] = s;
      }
    }
    return d;
  }

  private static Embedding embed(double[][] b, int k) {
    int n = b.length;
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
    if (!eig.decompose(new DMatrixRMaj(b))) {
      throw new ArithmeticException("symmetric eigendecomposition of the " + n + "x" + n + " centred matrix failed");
    }
    Integer[] order = new Integer[n];
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
      values[i] = eig.getEigenvalue(i).getReal();
    }
    Arrays.sort(order, (p, q) -> Double.compare(values[q], values[p]));
    double[] all = new double[n];
    double positive = 0;
    for (int i = 0; i < n; i++) {
      all[i] = values[order[i]];
      positive += Math.max(all[i], 0);
    }
    double[][] x = new double[n][k];
    double kept = 0;
    for (int i = 0; i < k; i++) {
      double l = all[i];
      kept += Math.max(l, 0);
      if (!(l > 0)) {
        continue; // no real coordinate along a non-positive axis
      }
      DMatrixRMaj v = eig.getEigenVector(order[i]);
      double norm = 0;
      for (int a = 0; a < n; a++) {
        norm += v.get(a) * v.get(a);
      }
      double scale = Math.sqrt(l / norm); // EJML returns unit vectors; normalising again costs nothing
      for (int a = 0; a < n; a++) {
        x[a][i] = v.get(a) * scale;
      }
    }
    return new Embedding(x, Arrays.copyOf(all, k), all, positive > 0 ? kept / positive : Double.NaN, k);
  }

  private static int checkSquare(double[][] m, String what, int k) {
    if (m == null || m.length == 0) {
      throw new IllegalArgumentException(what + " is empty");
    }
    int n = m.length;
    for (int a = 0; a < n; a++) {
      if (m[a].length != n) {
        throw new IllegalArgumentException(what + " is not square: row " + a + " has " + m[a].length + " entries, expected " + n);
      }
      for (int c = 0; c < n; c++) {
        if (!Double.isFinite(m[a][c])) {
          throw new IllegalArgumentException(what + " entry (" + a + "," + c + ") is " + m[a][c]);
        }
      }
    }
    if (k < 1 || k > n) {
      throw new IllegalArgumentException("k must lie in [1, " + n + "] for " + n + " points, got " + k);
    }
    return n;
  }
}
