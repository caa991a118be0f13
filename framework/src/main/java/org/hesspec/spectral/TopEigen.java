package org.hesspec.spectral;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.hesspec.curvature.LinearOperator;

/**
 * Extreme eigenpairs by Lanczos with full reorthogonalisation and the Rayleigh-Ritz procedure
 * (Parlett, The Symmetric Eigenvalue Problem, ch. 13; Golub and Van Loan, Matrix Computations, sec.
 * 10.1): the eigenpairs {@code (theta_j, s_j)} of {@code T_M} give Ritz pairs {@code (theta_j, Q_M
 * s_j)}, the best approximations to eigenpairs of {@code A} from the Krylov space. Papyan (2019)
 * locates the outliers of deepnet Hessians this way.
 *
 * <p>Memory: the M basis vectors (O(M p)), plus the k Ritz vectors if kept.
 */
public final class TopEigen {
  private TopEigen() {}

  /** Computes the pairs without progress reports or checkpoints. */
  public static EigenPairs compute(LinearOperator a, TopEigenConfig config) {
    return compute(a, config, RunOptions.sequential());
  }

  /**
   * Computes the pairs; the Lanczos run reports progress as task {@code "top-eigen"} and is
   * checkpointed (file {@code top-eigen.lanczos}) when {@code options} name a directory. Threads
   * are not used: a single Lanczos run is sequential.
   */
  public static EigenPairs compute(LinearOperator a, TopEigenConfig config, RunOptions options) {
    int p = a.dimension();
    LanczosConfig lanczos =
        new LanczosConfig(
            config.steps(), Reorthogonalization.FULL, config.startVector(), config.seed(),
            LanczosConfig.DEFAULT_BREAKDOWN_TOLERANCE);
    ProgressTracker progress =
        new ProgressTracker("top-eigen", 1, Math.min(config.steps(), p), options.listener());
    LanczosResult run =
        Lanczos.runOrResume(
            a, lanczos, step -> progress.step(0, step), options.checkpoint("top-eigen"));
    progress.finished(0, run.steps());

    TridiagonalEigen.Decomposition eig = run.eigen(true);
    int m = eig.size();
    double[] theta = eig.eigenvalues();
    double norm = Math.max(Math.abs(theta[0]), Math.abs(theta[m - 1]));
    int[] chosen = select(theta, config.which(), Math.min(config.k(), m));
    int count = chosen.length;
    double[] values = new double[count];
    double[] residuals = new double[count];
    boolean[] converged = new boolean[count];
    double[][] vectors = config.keepVectors() ? new double[count][] : null;
    double[] scratch = config.keepVectors() ? null : new double[p];
    double[] product = config.residuals() == TopEigenConfig.ResidualMethod.PRODUCT
        ? new double[p]
        : null;
    double[][] basis = run.basis();
    for (int c = 0; c < count; c++) {
      int j = chosen[c];
      values[c] = theta[j];
      double[] s = eig.vectors()[j];
      double[] x = config.keepVectors() ? new double[p] : scratch;
      if (!config.keepVectors()) {
        Arrays.fill(x, 0);
      }
      for (int i = 0; i < m; i++) {
        Vectors.axpy(s[i], basis[i], x);
      }
      // Q s is a unit vector up to the basis' orthogonality (rounding level); normalising makes
      // the residual that of a unit vector exactly.
      Vectors.scale(1.0 / Vectors.norm(x), x);
      if (product != null) {
        a.apply(x, product);
        double r2 = 0;
        for (int i = 0; i < p; i++) {
          double r = product[i] - theta[j] * x[i];
          r2 += r * r;
        }
        residuals[c] = Math.sqrt(r2);
      } else {
        residuals[c] = Math.abs(run.residualNorm() * s[m - 1]);
      }
      converged[c] = residuals[c] <= config.tolerance() * norm;
      if (vectors != null) {
        vectors[c] = x;
      }
    }
    return new EigenPairs(config, run.steps(), run.breakdown(), values, residuals, converged, vectors);
  }

  /** Indices of the {@code count} Ritz values (ascending input) at the requested end, in order. */
  static int[] select(double[] ascending, TopEigenConfig.Which which, int count) {
    int m = ascending.length;
    Comparator<Integer> order =
        switch (which) {
          case LARGEST -> Comparator.comparingDouble(i -> -ascending[i]);
          case SMALLEST -> Comparator.comparingDouble(i -> ascending[i]);
          case LARGEST_MAGNITUDE -> Comparator.comparingDouble(i -> -Math.abs(ascending[i]));
        };
    return IntStream.range(0, m).boxed().sorted(order).limit(count).mapToInt(i -> i).toArray();
  }
}
