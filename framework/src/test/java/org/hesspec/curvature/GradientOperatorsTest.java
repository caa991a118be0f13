package org.hesspec.curvature;

import static org.hesspec.curvature.CurvatureNumerics.dense;
import static org.hesspec.curvature.NonlinearCurvatureTest.C;
import static org.hesspec.curvature.NonlinearCurvatureTest.N;
import static org.hesspec.curvature.NonlinearCurvatureTest.graph;
import static org.hesspec.curvature.NonlinearCurvatureTest.jacobians;
import static org.hesspec.curvature.NonlinearCurvatureTest.model;
import static org.hesspec.curvature.NonlinearCurvatureTest.randomVector;
import static org.hesspec.curvature.NonlinearCurvatureTest.regression;
import static org.hesspec.curvature.NonlinearCurvatureTest.relativeDifference;
import static org.hesspec.curvature.NonlinearCurvatureTest.sandwich;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.hesspec.curvature.NonlinearCurvatureTest.Net;
import org.hesspec.data.Dataset;
import org.hesspec.model.ModelDefinition;
import org.hesspec.model.Precision;
import org.hesspec.model.TensorValues;
import org.hesspec.spectral.DenseSpectrum;
import org.hesspec.structure.GramSpectra;
import org.junit.jupiter.api.Test;

/**
 * The operators built from per-example gradients, {@code empirical_fisher}, {@code
 * gradient_covariance} and {@code fisher_mc}, in float64 against dense matrices assembled here
 * from the per-example Jacobian rows {@code J_i^T e_c} (one weighted VJP each) and the residuals
 * {@code r_i = dl/dz_i}, for cross-entropy and MSE, over several mini-batches (batch 10 of N = 24).
 */
class GradientOperatorsTest {

  /**
   * Same quantity in two float64 evaluation orders (the graph's per-batch sums against the
   * per-example outer products here): rounding ~1e-16 relative per term over N = 24 terms; 1e-12
   * leaves room for the cancellation of the centring while a wrong formula differs by O(1).
   */
  static final double EXACT = 1e-12;

  /** Per-example gradients {@code g_i = J_i^T r_i} from the Jacobian rows and residuals. */
  static double[][] perExampleGradients(double[][][] j, double[][] r) {
    int p = j[0][0].length;
    double[][] g = new double[j.length][p];
    for (int i = 0; i < j.length; i++) {
      for (int c = 0; c < C; c++) {
        for (int s = 0; s < p; s++) {
          g[i][s] += r[i][c] * j[i][c][s];
        }
      }
    }
    return g;
  }

  /** {@code 1/n sum_i (g_i - m)(g_i - m)^T}. */
  static double[][] secondMoment(double[][] g, double[] m) {
    int p = g[0].length;
    double[][] out = new double[p][p];
    for (double[] gi : g) {
      for (int a = 0; a < p; a++) {
        for (int b = 0; b < p; b++) {
          out[a][b] += (gi[a] - m[a]) * (gi[b] - m[b]) / g.length;
        }
      }
    }
    return out;
  }

  static double[] mean(double[][] g) {
    double[] m = new double[g[0].length];
    for (double[] gi : g) {
      for (int s = 0; s < m.length; s++) {
        m[s] += gi[s] / g.length;
      }
    }
    return m;
  }

  static double[][] crossEntropyResiduals(CurvatureGraph g, BatchedData data) {
    double[][] p = g.probabilities(data);
    int[] y = data.labels();
    double[][] r = new double[p.length][];
    for (int i = 0; i < p.length; i++) {
      r[i] = p[i].clone();
      r[i][y[i]] -= 1;
    }
    return r;
  }

  @Test
  void crossEntropyEmpiricalFisherAndGradientCovarianceEqualTheirDenseMatrices() {
    ModelDefinition m = model(Net.RELU_MLP, Precision.FLOAT64);
    try (CurvatureGraph g = graph(m, Loss.CROSS_ENTROPY); BatchedData data = BatchedData.of(Net.RELU_MLP.data(), 10, m.precision())) {
      checkAgainstPerExampleGradients(g, data, crossEntropyResiduals(g, data), "cross-entropy");
    }
  }

  @Test
  void mseEmpiricalFisherAndGradientCovarianceEqualTheirDenseMatrices() {
    ModelDefinition m = model(Net.TANH_MLP, Precision.FLOAT64);
    Dataset d = regression();
    try (CurvatureGraph g = graph(m, Loss.MSE); BatchedData data = BatchedData.of(d, 10, m.precision())) {
      double[][] z = g.logits(data);
      double[][] r = new double[N][C];
      for (int i = 0; i < N; i++) {
        for (int c = 0; c < C; c++) {
          r[i][c] = z[i][c] - d.targets()[i * C + c];
        }
      }
      checkAgainstPerExampleGradients(g, data, r, "MSE");
    }
  }

  /**
   * F and Cov against {@code 1/n sum g_i g_i^T} and {@code 1/n sum (g_i - gbar)(g_i - gbar)^T}; the
   * exact spectra: the nonzero eigenvalues of {@code 1/n sum_i a_i a_i^T} are those of the n x n
   * Gram matrix {@code a_i . a_j / n}, the other p - n are zero.
   */
  private static void checkAgainstPerExampleGradients(CurvatureGraph g, BatchedData data, double[][] r, String loss) {
    double[][] gi = perExampleGradients(jacobians(g, data), r);
    double[] gbar = mean(gi);
    // the mean of the per-example gradients is the gradient of the mean loss
    assertTrue(CurvatureNumerics.relativeError(g.gradient(data), gbar) < EXACT, loss + " gradient");
    double[][] f = secondMoment(gi, new double[gbar.length]);
    double[][] cov = secondMoment(gi, gbar);
    double[][] fOp = dense(g.operator(CurvatureOperator.EMPIRICAL_FISHER, data));
    double[][] covOp = dense(g.operator(CurvatureOperator.GRADIENT_COVARIANCE, data));
    double ef = relativeDifference(fOp, f);
    double ec = relativeDifference(covOp, cov);
    System.out.printf("%s: |F - 1/n sum g g^T|/|F| %.3g, |Cov - 1/n sum (g-gbar)(g-gbar)^T|/|Cov| %.3g%n", loss, ef, ec);
    assertTrue(ef < EXACT, loss + " empirical Fisher: " + ef);
    assertTrue(ec < EXACT, loss + " gradient covariance: " + ec);
    // Cov = F - gbar gbar^T differs from F by a visible amount (else the centring would go untested)
    assertTrue(relativeDifference(covOp, fOp) > 1e-3, loss + ": Cov and F too close to tell apart");

    for (boolean centred : new boolean[] {false, true}) {
      CurvatureOperator op = centred ? CurvatureOperator.GRADIENT_COVARIANCE : CurvatureOperator.EMPIRICAL_FISHER;
      double[][] gram = new double[N][N];
      for (int i = 0; i < N; i++) {
        for (int k = 0; k < N; k++) {
          double s = 0;
          for (int a = 0; a < gbar.length; a++) {
            s += (gi[i][a] - (centred ? gbar[a] : 0)) * (gi[k][a] - (centred ? gbar[a] : 0));
          }
          gram[i][k] = s / N;
        }
      }
      double[] expected = GramSpectra.eigenvaluesDescending(gram);
      double[] got = DenseSpectrum.of(g.operator(op, data), false).eigenvalues(); // ascending
      int p = got.length;
      double top = expected[0];
      for (int k = 0; k < p; k++) {
        double want = k < N ? Math.max(expected[k], 0) : 0;
        // eigenvalues to float64 rounding of the largest (the zero ones come out as +-1e-17 top)
        assertEquals(want, got[p - 1 - k], 1e-12 * top, loss + " " + op + " eigenvalue " + (k + 1));
      }
    }
  }

  /** Phi(x) = erfc(-x / sqrt 2) / 2, by erfc with relative error below 1.2e-7 (Numerical Recipes' erfcc). */
  static double phi(double x) {
    double z = Math.abs(x / Math.sqrt(2));
    double t = 1 / (1 + 0.5 * z);
    double erfc = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
        + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
    double erfcOfMinus = x >= 0 ? 2 - erfc : erfc; // erfc(-x/sqrt2)
    return erfcOfMinus / 2;
  }

  /** The noise of every example, in batch order. */
  static double[][] noise(BatchedData data) {
    double[][] xi = new double[data.size()][];
    int row = 0;
    for (BatchedData.Batch b : data.batches()) {
      double[] flat = TensorValues.toDoubles(b.noise());
      int width = flat.length / b.size();
      for (int i = 0; i < b.size(); i++) {
        xi[row++] = Arrays.copyOfRange(flat, i * width, (i + 1) * width);
      }
    }
    return xi;
  }

  /**
   * fisher_mc for one seed equals {@code 1/n sum_i J_i^T rt_i rt_i^T J_i} with the label sampled here
   * from p_i and the example's noise by the documented rule, and is the same for every product.
   */
  @Test
  void crossEntropyFisherMcIsTheFisherOfTheSampledLabels() {
    ModelDefinition m = model(Net.CNN, Precision.FLOAT64);
    try (CurvatureGraph g = graph(m, Loss.CROSS_ENTROPY); BatchedData data = BatchedData.of(Net.CNN.data(), 10, m.precision(), 17)) {
      double[][] p = g.probabilities(data);
      double[][] xi = noise(data);
      double[][][] a = new double[N][C][C];
      int[] sampled = new int[N];
      for (int i = 0; i < N; i++) {
        double u = phi(xi[i][0]);
        double cum = 0;
        int label = 0;
        for (int c = 0; c < C; c++) {
          cum += p[i][c];
          // the approximation of Phi (1.2e-7) cannot move u across a class boundary here
          assertTrue(Math.abs(cum - u) > 1e-6, "example " + i + " too close to a boundary to check");
          label += cum < u ? 1 : 0;
        }
        sampled[i] = Math.min(label, C - 1);
        double[] rt = p[i].clone();
        rt[sampled[i]] -= 1;
        for (int c = 0; c < C; c++) {
          for (int e = 0; e < C; e++) {
            a[i][c][e] = rt[c] * rt[e];
          }
        }
      }
      // the sampled labels are not the true ones (else this would only retest the empirical Fisher)
      assertFalse(Arrays.equals(sampled, data.labels()));
      LinearOperator fmc = g.operator(CurvatureOperator.FISHER_MC, data);
      double err = relativeDifference(dense(fmc), sandwich(jacobians(g, data), a));
      System.out.printf("CNN fisher_mc vs 1/n sum J^T rt rt^T J: %.3g%n", err);
      assertTrue(err < EXACT, "fisher_mc " + err);
      double[] v = randomVector(m.dimension(), 3);
      assertArrayEquals(fmc.apply(v), fmc.apply(v), "every product sees the same labels");
    }
  }

  @Test
  void mseFisherMcIsTheFisherOfTheSampledTargets() {
    ModelDefinition m = model(Net.TANH_MLP, Precision.FLOAT64);
    try (CurvatureGraph g = graph(m, Loss.MSE); BatchedData data = BatchedData.of(regression(), 10, m.precision(), 5)) {
      double[][] xi = noise(data);
      double[][][] a = new double[N][C][C];
      for (int i = 0; i < N; i++) {
        for (int c = 0; c < C; c++) {
          for (int e = 0; e < C; e++) {
            a[i][c][e] = xi[i][c] * xi[i][e]; // rt_i = z_i - (z_i + xi_i) = -xi_i
          }
        }
      }
      double err = relativeDifference(dense(g.operator(CurvatureOperator.FISHER_MC, data)), sandwich(jacobians(g, data), a));
      System.out.printf("MSE fisher_mc vs 1/n sum J^T xi xi^T J: %.3g%n", err);
      assertTrue(err < EXACT, "fisher_mc " + err);
    }
  }

  /**
   * E[fisher_mc] = G for softmax cross-entropy (and for MSE), as a statistical test: over S
   * sampling seeds, the mean of {@code v^T Fmc v} must lie within 4 standard errors of {@code v^T G
   * v} (the per-seed values are independent; a false failure has probability ~6e-5 per vector,
   * and the seeds are fixed, so the test is deterministic). The standard error is checked to be
   * below 5% of {@code v^T G v}, so the test can see a wrong curvature (e.g. diag(p) without -p
   * p^T changes v^T G v by far more).
   */
  @Test
  void fisherMcEqualsGaussNewtonInExpectation() {
    int seeds = 300;
    for (Loss loss : Loss.values()) {
      Net net = loss == Loss.MSE ? Net.TANH_MLP : Net.RELU_MLP;
      Dataset d = loss == Loss.MSE ? regression() : net.data();
      ModelDefinition m = model(net, Precision.FLOAT64);
      try (CurvatureGraph g = graph(m, loss)) {
        for (int k = 0; k < 2; k++) {
          double[] v = randomVector(m.dimension(), 40 + k);
          double vGv;
          try (BatchedData data = BatchedData.of(d, N, m.precision())) {
            vGv = dot(v, g.apply(CurvatureOperator.GAUSS_NEWTON, v, data));
          }
          double sum = 0;
          double sumSq = 0;
          for (int s = 0; s < seeds; s++) {
            try (BatchedData data = BatchedData.of(d, N, m.precision(), 1000 + s)) {
              double q = dot(v, g.apply(CurvatureOperator.FISHER_MC, v, data));
              sum += q;
              sumSq += q * q;
            }
          }
          double mean = sum / seeds;
          double se = Math.sqrt((sumSq / seeds - mean * mean) / (seeds - 1));
          System.out.printf("%s: v^T G v %.6g, mean v^T Fmc v over %d seeds %.6g, standard error %.3g (%.2f SE)%n", loss, vGv, seeds,
              mean, se, Math.abs(mean - vGv) / se);
          assertTrue(se < 0.05 * vGv, loss + ": standard error " + se + " too large to test against " + vGv);
          assertTrue(Math.abs(mean - vGv) < 4 * se, loss + ": mean " + mean + " vs v^T G v " + vGv + " (SE " + se + ")");
        }
      }
    }
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
