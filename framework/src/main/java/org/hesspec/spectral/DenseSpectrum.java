package org.hesspec.spectral;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.hesspec.curvature.LinearOperator;

/**
 * The exact eigendecomposition of a small operator: the matrix is built column by column from the
 * p products {@code A e_i}, checked for symmetry, symmetrised ({@code (A + A^T) / 2}, which removes
 * rounding asymmetry of the products) and decomposed by EJML's symmetric eigensolver
 * (Householder tridiagonalisation and implicit QR; Golub and Van Loan, Matrix Computations, sec.
 * 8.3). O(p^2) memory and O(p^3) time: the ground truth for tests and for models with up to a few
 * thousand parameters.
 *
 * @param eigenvalues ascending, length p
 * @param eigenvectors if requested, {@code eigenvectors[k]} is the unit eigenvector of {@code
 *     eigenvalues[k]}; otherwise null
 * @param asymmetry {@code max |A_ij - A_ji| / max |A_ij|} of the matrix built from products
 */
public record DenseSpectrum(double[] eigenvalues, double[][] eigenvectors, double asymmetry) {

  /**
   * Default bound on the relative asymmetry: products in float64 are symmetric to about 1e-15
   * relative; a larger asymmetry means the operator is not symmetric (or is float32 inside).
   */
  public static final double DEFAULT_SYMMETRY_TOLERANCE = 1e-10;

  /** Largest dimension whose p x p matrix fits one Java array. */
  public static final int MAX_DIMENSION = 46340;

  /** Eigenvalues (and vectors if asked) of {@code a}, with the default symmetry tolerance. */
  public static DenseSpectrum of(LinearOperator a, boolean vectors) {
    return of(RunOptions.single(a), vectors, DEFAULT_SYMMETRY_TOLERANCE, RunOptions.sequential());
  }

  /**
   * Eigenvalues (and vectors if asked) of the operator, the p products spread over {@code
   * options.threads()} workers (worker {@code w} uses {@code operators.apply(w)}).
   *
   * @param symmetryTolerance largest accepted relative asymmetry, >= 0
   * @throws IllegalArgumentException if the operator's relative asymmetry exceeds the tolerance
   */
  public static DenseSpectrum of(
      IntFunction<LinearOperator> operators,
      boolean vectors,
      double symmetryTolerance,
      RunOptions options) {
    if (!(symmetryTolerance >= 0)) {
      throw new IllegalArgumentException(
          "symmetryTolerance must be >= 0, got " + symmetryTolerance);
    }
    LinearOperator first = operators.apply(0);
    int p = first.dimension();
    if (p > MAX_DIMENSION) {
      throw new IllegalArgumentException(
          "dense spectrum needs dimension <= " + MAX_DIMENSION + ", got " + p);
    }
    double[] m = matrix(w -> w == 0 ? first : operators.apply(w), p, options);
    double largest = 0;
    double asymmetryAbsolute = 0;
    for (int i = 0; i < p; i++) {
      for (int j = i; j < p; j++) {
        double aij = m[i * p + j];
        double aji = m[j * p + i];
        largest = Math.max(largest, Math.max(Math.abs(aij), Math.abs(aji)));
        asymmetryAbsolute = Math.max(asymmetryAbsolute, Math.abs(aij - aji));
        double mean = 0.5 * (aij + aji);
        m[i * p + j] = mean;
        m[j * p + i] = mean;
      }
    }
    double asymmetry = largest == 0 ? 0 : asymmetryAbsolute / largest;
    if (!(asymmetry <= symmetryTolerance)) {
      throw new IllegalArgumentException(
          "operator is not symmetric: relative asymmetry max|A_ij - A_ji| / max|A_ij| = "
              + asymmetry + " exceeds symmetryTolerance = " + symmetryTolerance);
    }
    return decompose(p, m, vectors, asymmetry);
  }

  /** Eigendecomposition of a symmetric row-major p x p matrix (overwritten). */
  static DenseSpectrum decompose(int p, double[] rowMajor, boolean vectors, double asymmetry) {
    DMatrixRMaj matrix = DMatrixRMaj.wrap(p, p, rowMajor);
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(p, vectors, true);
    if (!eig.decompose(matrix)) {
      throw new ArithmeticException("EJML symmetric eigendecomposition failed for dimension " + p);
    }
    double[] values = new double[p];
    for (int k = 0; k < p; k++) {
      values[k] = eig.getEigenvalue(k).getReal();
    }
    Integer[] order = IntStream.range(0, p).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble(k -> values[k]));
    double[] sorted = new double[p];
    double[][] sortedVectors = vectors ? new double[p][] : null;
    for (int k = 0; k < p; k++) {
      sorted[k] = values[order[k]];
      if (vectors) {
        sortedVectors[k] = eig.getEigenVector(order[k]).getData().clone();
      }
    }
    return new DenseSpectrum(sorted, sortedVectors, asymmetry);
  }

  /**
   * The row-major p x p matrix of the operator, column {@code i} being {@code A e_i} (not
   * symmetrised).
   */
  public static double[] matrix(LinearOperator a) {
    return matrix(RunOptions.single(a), a.dimension(), RunOptions.sequential());
  }

  private static double[] matrix(IntFunction<LinearOperator> operators, int p, RunOptions options) {
    ProgressTracker progress = new ProgressTracker("dense", p, 1, options.listener());
    List<double[]> columns =
        ParallelRuns.map(
            p,
            options.threads(),
            operators,
            (a, i) -> {
              double[] e = new double[p];
              e[i] = 1;
              double[] column = a.apply(e);
              progress.step(i, 1);
              return column;
            });
    double[] m = new double[p * p];
    for (int i = 0; i < p; i++) {
      double[] column = columns.get(i);
      for (int j = 0; j < p; j++) {
        m[j * p + i] = column[j];
      }
    }
    return m;
  }

  /** The dimension p. */
  public int dimension() {
    return eigenvalues.length;
  }

  /** The {@code k} largest eigenvalues, descending. */
  public double[] largest(int k) {
    if (k < 0 || k > eigenvalues.length) {
      throw new IllegalArgumentException(
          "k must be in [0, " + eigenvalues.length + "], got " + k);
    }
    double[] top = new double[k];
    for (int i = 0; i < k; i++) {
      top[i] = eigenvalues[eigenvalues.length - 1 - i];
    }
    return top;
  }

  /**
   * The fraction of eigenvalues below {@code -zeroFloor(precision) x} the largest |eigenvalue|:
   * those that are negative beyond the rounding of the products the matrix was built from.
   */
  public double negativeFraction(org.hesspec.model.Precision precision) {
    double scale = 0;
    for (double x : eigenvalues) {
      scale = Math.max(scale, Math.abs(x));
    }
    double floor = zeroFloor(precision);
    int negative = 0;
    for (int i = 0; i < eigenvalues.length; i++) {
      double e = eigenvalues[eigenvalues.length - 1 - i];
      negative += e < -floor * scale ? 1 : 0;
    }
    return (double) negative / eigenvalues.length;
  }

  /**
   * Relative size below which an eigenvalue of a matrix built from products of {@code precision}
   * is rounding, not a sign: in float32 the zero eigenvalues of a PSD operator (G) come out as small
   * negatives of order 1e-7..1e-6 relative to the largest, so float64's 1e-10 would count them (a
   * third of G "negative"); float32 uses 1e-5.
   */
  public static double zeroFloor(org.hesspec.model.Precision precision) {
    return precision == org.hesspec.model.Precision.FLOAT64 ? 1e-10 : 1e-5;
  }

  /** {@code sum_i lambda_i}, the trace. */
  public double trace() {
    double s = 0;
    for (double v : eigenvalues) {
      s += v;
    }
    return s;
  }
}
