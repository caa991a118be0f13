package org.hesspec.spectral;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Eigenvalues and eigenvector components of a symmetric tridiagonal matrix, by the implicit QL
 * algorithm with Wilkinson-type shifts (Bowdler, Martin, Reinsch, Wilkinson, "The QR and QL
 * algorithms for symmetric matrices", Numer. Math. 11, 1968; the EISPACK routine tql2).
 *
 * <p>For Gauss quadrature only the first row of the eigenvector matrix is needed: the nodes are the
 * eigenvalues {@code t_k} of the Jacobi matrix {@code T} and the weights are the squared first
 * components {@code s_{0k}^2} of its unit eigenvectors (Golub and Welsch, "Calculation of Gauss
 * quadrature rules", Math. Comp. 23, 1969). Each QL rotation mixes two columns of the eigenvector
 * matrix; applying it to the first and last rows only costs O(1) per rotation, so the whole
 * decomposition costs O(M^2) instead of the O(M^3) of full eigenvectors. The last components give
 * the Ritz residual bounds {@code beta_M |s_{M-1,k}|} of a Lanczos run.
 */
public final class TridiagonalEigen {
  private TridiagonalEigen() {}

  /** QL sweeps allowed per eigenvalue before giving up (convergence is cubic; 30 is EISPACK's). */
  private static final int MAX_ITERATIONS = 60;

  private static final double EPS = Math.ulp(1.0);

  /**
   * The eigendecomposition of a tridiagonal matrix, eigenvalues in ascending order.
   *
   * @param eigenvalues ascending, length M
   * @param firstComponents first component of each unit eigenvector (sign arbitrary), length M
   * @param lastComponents last component of each unit eigenvector, length M
   * @param vectors if requested, {@code vectors[k]} is the unit eigenvector of {@code
   *     eigenvalues[k]}; otherwise null
   */
  public record Decomposition(
      double[] eigenvalues, double[] firstComponents, double[] lastComponents, double[][] vectors) {

    /** Gauss quadrature weights: the squared first components; they sum to 1. */
    public double[] weights() {
      double[] w = new double[firstComponents.length];
      for (int k = 0; k < w.length; k++) {
        w[k] = firstComponents[k] * firstComponents[k];
      }
      return w;
    }

    public int size() {
      return eigenvalues.length;
    }
  }

  /**
   * Decomposes the symmetric tridiagonal matrix with diagonal {@code diagonal} (length M >= 1) and
   * off-diagonal {@code offDiagonal} (length M - 1). Inputs are not modified.
   *
   * @param fullVectors also compute all eigenvectors (O(M^3)); otherwise only their first and last
   *     components (O(M^2))
   * @throws ArithmeticException if the iteration does not converge (does not happen for finite
   *     input)
   */
  public static Decomposition decompose(
      double[] diagonal, double[] offDiagonal, boolean fullVectors) {
    int n = diagonal.length;
    if (n == 0) {
      throw new IllegalArgumentException("diagonal must have length >= 1, got 0");
    }
    if (offDiagonal.length != n - 1) {
      throw new IllegalArgumentException(
          "offDiagonal must have length diagonal.length - 1 = " + (n - 1) + ", got "
              + offDiagonal.length);
    }
    for (int i = 0; i < n; i++) {
      if (!Double.isFinite(diagonal[i]) || (i < n - 1 && !Double.isFinite(offDiagonal[i]))) {
        throw new IllegalArgumentException("tridiagonal matrix has a non-finite entry at " + i);
      }
    }
    double[] d = diagonal.clone();
    double[] e = Arrays.copyOf(offDiagonal, n); // e[n-1] = 0
    // Columns of the eigenvector matrix Z (column k is the eigenvector of d[k]): either all rows,
    // stored column by column so that a rotation of columns i, i+1 runs over contiguous arrays, or
    // only rows 0 and n-1.
    double[][] columns = null;
    double[] first = new double[n];
    double[] last = new double[n];
    if (fullVectors) {
      columns = new double[n][n];
      for (int k = 0; k < n; k++) {
        columns[k][k] = 1;
      }
    } else {
      first[0] = 1;
      last[n - 1] = 1;
    }

    for (int l = 0; l < n; l++) {
      int iterations = 0;
      int m;
      do {
        // Find a negligible off-diagonal element to split the matrix.
        for (m = l; m < n - 1; m++) {
          double dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
          if (Math.abs(e[m]) <= EPS * dd) {
            break;
          }
        }
        if (m != l) {
          if (iterations++ == MAX_ITERATIONS) {
            throw new ArithmeticException(
                "tridiagonal QL did not converge for eigenvalue " + l + " of " + n);
          }
          // Wilkinson-type shift from the leading 2x2 block.
          double g = (d[l + 1] - d[l]) / (2.0 * e[l]);
          double r = hypot(g, 1.0);
          g = d[m] - d[l] + e[l] / (g + Math.copySign(r, g));
          double s = 1;
          double c = 1;
          double p = 0;
          int i;
          for (i = m - 1; i >= l; i--) {
            double f = s * e[i];
            double b = c * e[i];
            r = hypot(f, g);
            e[i + 1] = r;
            if (r == 0.0) {
              // Recover from underflow.
              d[i + 1] -= p;
              e[m] = 0.0;
              break;
            }
            s = f / r;
            c = g / r;
            g = d[i + 1] - p;
            r = (d[i] - g) * s + 2.0 * c * b;
            p = s * r;
            d[i + 1] = g + p;
            g = c * r - b;
            if (fullVectors) {
              double[] zi = columns[i];
              double[] zi1 = columns[i + 1];
              for (int k = 0; k < n; k++) {
                double h = zi1[k];
                zi1[k] = s * zi[k] + c * h;
                zi[k] = c * zi[k] - s * h;
              }
            } else {
              double h = first[i + 1];
              first[i + 1] = s * first[i] + c * h;
              first[i] = c * first[i] - s * h;
              h = last[i + 1];
              last[i + 1] = s * last[i] + c * h;
              last[i] = c * last[i] - s * h;
            }
          }
          if (r == 0.0 && i >= l) {
            continue;
          }
          d[l] -= p;
          e[l] = g;
          e[m] = 0.0;
        }
      } while (m != l);
    }

    Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble(k -> d[k]));
    double[] values = new double[n];
    double[] firstSorted = new double[n];
    double[] lastSorted = new double[n];
    double[][] vectors = fullVectors ? new double[n][] : null;
    for (int k = 0; k < n; k++) {
      int src = order[k];
      values[k] = d[src];
      if (fullVectors) {
        vectors[k] = columns[src];
        firstSorted[k] = columns[src][0];
        lastSorted[k] = columns[src][n - 1];
      } else {
        firstSorted[k] = first[src];
        lastSorted[k] = last[src];
      }
    }
    return new Decomposition(values, firstSorted, lastSorted, vectors);
  }

  /** {@code sqrt(a^2 + b^2)} without overflow or destructive underflow. */
  private static double hypot(double a, double b) {
    double x = Math.abs(a);
    double y = Math.abs(b);
    if (x > y) {
      double t = y / x;
      return x * Math.sqrt(1.0 + t * t);
    }
    if (y == 0.0) {
      return 0.0;
    }
    double t = x / y;
    return y * Math.sqrt(1.0 + t * t);
  }
}
