package org.hesspec.structure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.hesspec.curvature.BatchedData;
import org.hesspec.curvature.CurvatureGraph;
import org.hesspec.curvature.GaussNewtonOperator;
import org.hesspec.curvature.LinearOperator;
import org.hesspec.curvature.Loss;
import org.hesspec.curvature.SessionSettings;
import org.hesspec.data.Dataset;
import org.hesspec.model.FunctionModel;
import org.hesspec.model.ModelDefinition;
import org.hesspec.model.OutputKind;
import org.hesspec.model.ParameterLayout;
import org.hesspec.model.Precision;
import org.hesspec.spectral.DenseSpectrum;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three-level decomposition of G on a small float64 model, against dense matrices. */
class ClassStructureTest {

  static final int D = 4;
  static final int C = 3;

  /** z = tanh-free linear softmax model x W + b (p = 15), so no second-derivative registry is involved. */
  static ModelDefinition linear(long seed) {
    ParameterLayout layout = ParameterLayout.of(List.of("w", "b"), List.of(new long[] {D, C}, new long[] {C}));
    double[] theta = new Random(seed).doubles(15, -1, 1).toArray();
    return FunctionModel.build("linear", layout, theta, new long[] {D}, C, Precision.FLOAT64, OutputKind.LOGITS,
        (tf, x, params) -> tf.math.add(tf.linalg.matMul(x, params.get(0)), params.get(1)));
  }

  static Dataset data(int n, long seed) {
    Random r = new Random(seed);
    float[] f = new float[n * D];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % C;
      for (int j = 0; j < D; j++) {
        f[i * D + j] = (float) (r.nextGaussian() + (j == y[i] ? 2 : 0));
      }
    }
    return Dataset.classification("mixture", f, new int[] {D}, y, C);
  }

  /** The dense matrix of {@code a} ({@link DenseSpectrum#matrix}) as rows. */
  static double[][] dense(LinearOperator a) {
    int p = a.dimension();
    double[] m = DenseSpectrum.matrix(a);
    double[][] rows = new double[p][];
    for (int i = 0; i < p; i++) {
      rows[i] = Arrays.copyOfRange(m, i * p, (i + 1) * p);
    }
    return rows;
  }

  @Test
  void gramSpectraAreTheNonzeroEigenvaluesAndGSplitsIntoMeansPlusWithin(@TempDir Path tmp) {
    ModelDefinition m = linear(1);
    Dataset d = data(30, 2);
    int[] all = new int[30];
    for (int i = 0; i < 30; i++) {
      all[i] = i;
    }
    try (CurvatureGraph g = new CurvatureGraph(m, Loss.CROSS_ENTROPY, m.layout(), SessionSettings.defaults());
        BatchedData batches = BatchedData.of(d, 8, m.precision());
        ClassMeans means = ClassMeans.compute(g, d, all, 8, 0, tmp, (done, total) -> { })) {
      int p = g.dimension();
      // Memory budget 0 forces the memory-mapped store: the test covers it too.
      GramSpectra.Result spectra = GramSpectra.of(means.gram(), means.pi());
      LinearOperator gMeans = new LinearOperator() {
        public int dimension() {
          return p;
        }

        public void apply(double[] v, double[] out) {
          means.applyMeans(v, out);
        }
      };
      double[] denseMeans = GramSpectra.eigenvaluesDescending(dense(gMeans));
      // Gram and dense eigenvalues are the same numbers computed two ways in float64: EJML's
      // symmetric QR is backward stable to ~1e-15 * ||M||; 1e-8 relative is the bound.
      double top = denseMeans[0];
      for (int k = 0; k < Math.min(p, C * C); k++) {
        assertEquals(denseMeans[k], spectra.means()[k], 1e-8 * top, "means eigenvalue " + k);
      }
      // Rank: at most C^2 nonzero eigenvalues; the rest of the dense spectrum is zero.
      for (int k = C * C; k < p; k++) {
        assertEquals(0.0, denseMeans[k], 1e-10 * top);
      }
      // G_means = G_class + G_cross: traces add up.
      double tm = sum(spectra.means());
      assertEquals(tm, sum(spectra.classMeans()) + sum(spectra.crossClass()), 1e-10 * tm);

      // G = G_means + G_within, with G_within from per-example vectors d_ic' = J_i^T a_ic'.
      double[][] gDense = dense(new GaussNewtonOperator(g, batches));
      double[][] within = new double[p][p];
      double[][] prob = g.probabilities(batches);
      double[] pi = means.pi();
      for (int c = 0; c < C; c++) {
        int nc = 0;
        for (int i = 0; i < 30; i++) {
          nc += d.labels()[i] == c ? 1 : 0;
        }
        for (int c2 = 0; c2 < C; c2++) {
          double[] mean = new double[p];
          means.crossClassMean(c, c2, mean);
          for (int i = 0; i < 30; i++) {
            if (d.labels()[i] != c) {
              continue;
            }
            try (BatchedData one = BatchedData.of(d, new int[] {i}, 1, m.precision())) {
              double[] w = new double[C];
              double s = Math.sqrt(prob[i][c2]);
              for (int k = 0; k < C; k++) {
                w[k] = -s * prob[i][k];
              }
              w[c2] += s;
              double[] dic = g.weightedVjp(new double[][] {w}, one);
              for (int a = 0; a < p; a++) {
                for (int b = 0; b < p; b++) {
                  within[a][b] += pi[c] / nc * (dic[a] - mean[a]) * (dic[b] - mean[b]);
                }
              }
            }
          }
        }
      }
      double[][] meansDense = dense(gMeans);
      double scale = 0;
      for (double[] row : gDense) {
        for (double x : row) {
          scale = Math.max(scale, Math.abs(x));
        }
      }
      // Float64 sums of 90 rank-one terms: rounding ~1e-15 relative; 1e-10 leaves a wide margin.
      for (int a = 0; a < p; a++) {
        for (int b = 0; b < p; b++) {
          assertEquals(gDense[a][b], meansDense[a][b] + within[a][b], 1e-10 * scale, "G at " + a + "," + b);
        }
      }
      // And the operator form of G_within agrees with the dense one.
      double[][] withinOp = dense(new WithinClassOperator(new GaussNewtonOperator(g, batches), means));
      for (int a = 0; a < p; a++) {
        for (int b = 0; b < p; b++) {
          assertEquals(within[a][b], withinOp[a][b], 1e-10 * scale);
        }
      }
      assertTrue(spectra.classMeans()[0] > 0);
    }
  }

  static double sum(double[] a) {
    double s = 0;
    for (double x : a) {
      s += x;
    }
    return s;
  }
}
