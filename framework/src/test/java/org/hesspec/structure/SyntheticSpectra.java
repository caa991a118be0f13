package org.hesspec.structure;

import java.util.SplittableRandom;

/** Spectra of random matrices with known limits, for the tests of the outlier and bulk-edge rules. */
final class SyntheticSpectra {

  private SyntheticSpectra() {}

  /**
   * Eigenvalues (descending) of a spiked GOE matrix {@code W + sum_j theta_j e_j e_j^T}, with
   * {@code W = (A + A^T) / sqrt(2n)}, A iid N(0,1). The bulk of W follows the semicircle law on [-2, 2];
   * by the BBP transition each spike theta > 1 produces an outlier near {@code theta + 1/theta}, while a
   * spike theta <= 1 leaves the top eigenvalue at the edge 2 (Peche 2006; Feral and Peche 2007).
   */
  static double[] spikedWigner(int n, double[] spikes, long seed) {
    return GramSpectra.eigenvaluesDescending(spikedWignerMatrix(n, spikes, seed));
  }

  /** The matrix {@code W + sum_j theta_j e_j e_j^T} of {@link #spikedWigner}. */
  static double[][] spikedWignerMatrix(int n, double[] spikes, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] a = new double[n][n];
    double scale = 1 / Math.sqrt(2.0 * n);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double v = (gaussian(r) + gaussian(r)) * scale; // (A + A^T)_ij / sqrt(2n): variance 1/n off the diagonal
        if (i == j) {
          v = 2 * gaussian(r) * scale; // 2 A_ii / sqrt(2n): variance 2/n on the diagonal (GOE)
        }
        a[i][j] = v;
        a[j][i] = v;
      }
    }
    for (int k = 0; k < spikes.length; k++) {
      a[k][k] += spikes[k]; // W is orthogonally invariant in law, so coordinate spikes are as good as any
    }
    return a;
  }

  /**
   * The sample covariance {@code S = X^T X / n} of n rows {@code x = Sigma^(1/2) z}, z ~ N(0, I_p), with
   * the diagonal population covariance {@code Sigma = diag(population)}. With all population eigenvalues 1
   * and {@code gamma = p / n <= 1}, the spectrum of S fills the Marchenko-Pastur law on [(1 - sqrt gamma)^2,
   * (1 + sqrt gamma)^2]; a spike l > 1 + sqrt gamma produces an outlier near {@code l (1 + gamma / (l - 1))},
   * a smaller one sticks to the edge (Baik, Ben Arous and Peche 2005; Baik and Silverstein 2006).
   */
  static double[][] spikedCovariance(double[] population, int n, long seed) {
    int p = population.length;
    SplittableRandom r = new SplittableRandom(seed);
    double[][] s = new double[p][p];
    double[] x = new double[p];
    for (int row = 0; row < n; row++) {
      for (int i = 0; i < p; i++) {
        x[i] = Math.sqrt(population[i]) * gaussian(r);
      }
      for (int i = 0; i < p; i++) {
        double xi = x[i] / n;
        double[] si = s[i];
        for (int j = 0; j <= i; j++) {
          si[j] += xi * x[j];
        }
      }
    }
    for (int i = 0; i < p; i++) {
      for (int j = 0; j < i; j++) {
        s[j][i] = s[i][j];
      }
    }
    return s;
  }

  static double gaussian(SplittableRandom r) {
    // Box-Muller: SplittableRandom has no nextGaussian on Java 17.
    double u = 1 - r.nextDouble();
    double v = r.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Gaussian-kernel density of the weighted nodes on the grid x: sum_k w_k N(x; node_k, sigma^2). */
  static double[] smoothedDensity(double[] grid, double[] nodes, double[] weights, double sigma) {
    double[] d = new double[grid.length];
    double c = 1 / (Math.sqrt(2 * Math.PI) * sigma);
    for (int i = 0; i < grid.length; i++) {
      double s = 0;
      for (int k = 0; k < nodes.length; k++) {
        double z = (grid[i] - nodes[k]) / sigma;
        if (Math.abs(z) < 40) {
          s += weights[k] * c * Math.exp(-0.5 * z * z);
        }
      }
      d[i] = s;
    }
    return d;
  }

  static double[] grid(double lo, double hi, int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = lo + (hi - lo) * i / (n - 1);
    }
    return x;
  }

  static double[] equalWeights(int n) {
    double[] w = new double[n];
    java.util.Arrays.fill(w, 1.0 / n);
    return w;
  }
}
