package org.hesspec.structure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.hesspec.curvature.BatchedData;
import org.hesspec.curvature.CurvatureGraph;
import org.hesspec.curvature.CurvatureOperator;
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
      // G_means = G0 + G1 + G2 (Papyan's convention), densely from the stored means, and each level's Gram
      // eigenvalues are the nonzero eigenvalues of its dense matrix.
      double[] pi0 = means.pi();
      double[][] g0 = new double[p][p];
      double[][] g1 = new double[p][p];
      double[][] g2 = new double[p][p];
      for (int c = 0; c < C; c++) {
        double[] delta = means.classMean(c);
        addOuter(g1, delta, delta, (C - 1) * pi0[c]);
        for (int c2 = 0; c2 < C; c2++) {
          double[] dcc = new double[p];
          means.crossClassMean(c, c2, dcc);
          if (c2 == c) {
            addOuter(g0, dcc, dcc, pi0[c]);
          } else {
            double[] e = new double[p];
            for (int a = 0; a < p; a++) {
              e[a] = dcc[a] - delta[a];
            }
            addOuter(g2, e, e, pi0[c]);
          }
        }
      }
      double[][] meansDense0 = dense(gMeans);
      for (int a = 0; a < p; a++) {
        for (int b = 0; b < p; b++) {
          // float64 sums of at most C^2 rank-one terms: ~1e-15 relative; 1e-10 is a wide margin.
          assertEquals(meansDense0[a][b], g0[a][b] + g1[a][b] + g2[a][b], 1e-10 * top, "G_means = G0 + G1 + G2 at " + a + "," + b);
        }
      }
      assertLevel(spectra.selfMeans(), g0, "self_means");
      assertLevel(spectra.classMeans(), g1, "class_means");
      assertLevel(spectra.crossClass(), g2, "cross_class");
      double tm = sum(spectra.means());
      assertEquals(tm, spectra.traceMeans(), 1e-10 * tm);
      assertEquals(tm, spectra.traceSelf() + spectra.traceClass() + spectra.traceCross(), 1e-10 * tm);

      // G = G_means + G_within, with G_within from per-example vectors d_ic' = J_i^T a_ic'.
      double[][] gDense = dense(g.operator(CurvatureOperator.GAUSS_NEWTON, batches));
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
              if (c2 == 0) {
                // sum_c' sqrt(p_ic') d_{i,c,c'} = J_i^T sum_c' p_ic' (e_c' - p_i) = 0: the self term points
                // against the cross terms, which is why Papyan keeps it out of delta_c.
                double[] total = new double[p];
                double norm = 0;
                for (int c3 = 0; c3 < C; c3++) {
                  double[] w3 = new double[C];
                  double s3 = Math.sqrt(prob[i][c3]);
                  for (int k = 0; k < C; k++) {
                    w3[k] = -s3 * prob[i][k];
                  }
                  w3[c3] += s3;
                  double[] d3 = g.weightedVjp(new double[][] {w3}, one);
                  for (int a = 0; a < p; a++) {
                    total[a] += Math.sqrt(prob[i][c3]) * d3[a];
                    norm = Math.max(norm, Math.abs(d3[a]));
                  }
                }
                for (int a = 0; a < p; a++) {
                  // cancellation of C terms of size <= norm in float64: ~1e-16 * norm each.
                  assertEquals(0.0, total[a], 1e-12 * Math.max(norm, 1e-300), "sum_c' sqrt(p_ic') d_ic' at " + a);
                }
              }
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
      double[][] withinOp = dense(new WithinClassOperator(g.operator(CurvatureOperator.GAUSS_NEWTON, batches), means));
      for (int a = 0; a < p; a++) {
        for (int b = 0; b < p; b++) {
          assertEquals(within[a][b], withinOp[a][b], 1e-10 * scale);
        }
      }
      assertTrue(spectra.classMeans()[0] > 0);
    }
  }

  /**
   * The analytic neural-collapse case: a bias-free linear softmax model z = W^T x with W = alpha I, and every
   * example of class c equal to e_c. Then p_cc = q = e^alpha / (e^alpha + C - 1) and p_cc' = r = (1 - q)/(C - 1)
   * for all examples, the C^2 means are exact (G_within = 0), the vectors of different classes are orthogonal,
   * and with pi_c = 1/C per class the spectrum is known in closed form (derivation in docs/mathematics.md):
   * along the class direction (1 - C e_c) (x) e_c, G has eigenvalue pi_c C r q, of which G1 carries pi_c C r q^2
   * and G0 pi_c C (C-1) q r^2 (their sum: pi_c C r q, since q + (C-1) r = 1); G2 has eigenvalue pi_c r with
   * multiplicity C - 2 per class. So G1 carries the top C eigenvalues of G up to the factor q = p_{i,y_i}, exactly.
   */
  @Test
  void collapsedFeaturesGiveTheAnalyticHierarchy(@TempDir Path tmp) {
    int c = 4;
    double alpha = 2.5;
    ParameterLayout layout = ParameterLayout.of(List.of("w"), List.of(new long[] {c, c}));
    double[] theta = new double[c * c];
    for (int k = 0; k < c; k++) {
      theta[k * c + k] = alpha;
    }
    ModelDefinition m = FunctionModel.build("collapsed", layout, theta, new long[] {c}, c, Precision.FLOAT64, OutputKind.LOGITS,
        (tf, x, params) -> tf.linalg.matMul(x, params.get(0)));
    int n = 5 * c;
    float[] f = new float[n * c];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % c;
      f[i * c + y[i]] = 1f;
    }
    Dataset d = Dataset.classification("collapsed", f, new int[] {c}, y, c);
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    double q = Math.exp(alpha) / (Math.exp(alpha) + c - 1);
    double r = (1 - q) / (c - 1);
    double pi = 1.0 / c;
    try (CurvatureGraph g = new CurvatureGraph(m, Loss.CROSS_ENTROPY, m.layout(), SessionSettings.defaults());
        BatchedData batches = BatchedData.of(d, 7, m.precision());
        ClassMeans means = ClassMeans.compute(g, d, all, 7, 1L << 30, tmp, (done, total) -> { })) {
      GramSpectra.Result spectra = GramSpectra.of(means.gram(), means.pi());
      double[] gSpectrum = GramSpectra.eigenvaluesDescending(dense(g.operator(CurvatureOperator.GAUSS_NEWTON, batches)));
      double top = pi * c * r * q;
      // Closed-form values against float64 products and EJML eigenvalues: rounding ~1e-15; bound 1e-10.
      double tol = 1e-10 * top;
      for (int k = 0; k < c; k++) {
        assertEquals(top, gSpectrum[k], tol, "G eigenvalue " + k);
        assertEquals(pi * c * r * q * q, spectra.classMeans()[k], tol, "G1 eigenvalue " + k);
        assertEquals(pi * c * (c - 1) * q * r * r, spectra.selfMeans()[k], tol, "G0 eigenvalue " + k);
        assertEquals(q * gSpectrum[k], spectra.classMeans()[k], tol, "G1 carries the top eigenvalues up to q");
      }
      for (int k = 0; k < c * (c - 2); k++) {
        assertEquals(pi * r, spectra.crossClass()[k], tol, "G2 eigenvalue " + k);
        assertEquals(pi * r, gSpectrum[c + k], tol, "G eigenvalue " + (c + k));
      }
      for (int k = c * (c - 2); k < spectra.crossClass().length; k++) {
        assertEquals(0.0, spectra.crossClass()[k], tol, "G2 has rank C(C-2)");
      }
      // G_within = 0: the dense G_within operator vanishes.
      double[][] within = dense(new WithinClassOperator(g.operator(CurvatureOperator.GAUSS_NEWTON, batches), means));
      for (double[] row : within) {
        for (double x : row) {
          assertEquals(0.0, x, tol);
        }
      }
    }
  }

  private static void addOuter(double[][] m, double[] u, double[] v, double w) {
    for (int a = 0; a < u.length; a++) {
      for (int b = 0; b < v.length; b++) {
        m[a][b] += w * u[a] * v[b];
      }
    }
  }

  /** The nonzero eigenvalues of a dense level equal its Gram eigenvalues (the rest of the dense spectrum is zero). */
  private static void assertLevel(double[] gram, double[][] dense, String level) {
    double[] ev = GramSpectra.eigenvaluesDescending(dense);
    double scale = Math.max(1e-300, Math.abs(ev[0]));
    for (int k = 0; k < ev.length; k++) {
      double expected = k < gram.length ? gram[k] : 0.0;
      // Same numbers computed two ways in float64; 1e-9 relative to the level's largest eigenvalue.
      assertEquals(expected, ev[k], 1e-9 * scale, level + " eigenvalue " + k);
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
