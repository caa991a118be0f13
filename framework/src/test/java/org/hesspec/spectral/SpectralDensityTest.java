package org.hesspec.spectral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpectralDensityTest {

  private static DenseMatrixOperator goe;

  @BeforeAll
  static void buildGoe() {
    goe = RandomMatrices.goe(2000, 2019);
  }

  @Test
  void wignerSemicircle() {
    DensityEstimate est = SpectralDensity.estimate(goe, DensityConfig.of(80, 10, 1));
    double w1 = Wasserstein.toLaw(est.x(), est.density(), Wasserstein::semicircleCdf);
    System.out.printf("semicircle: W1 %.4f, sigma %.4f, integral %.9f, bounds [%.4f, %.4f]%n",
        w1, est.kernelWidth(), est.integral(), est.bounds().lower(), est.bounds().upper());
    // Observed 0.009 (seed 1). Sources: kernel smoothing (sigma = width / M = 0.05; for a smooth
    // density its W1 cost is well below E|N(0, sigma)| = 0.04), ~1/sqrt(K p) fluctuation of the
    // random start vectors' measures, and the p = 2000 finite-size deviation of the GOE from its
    // limit. The tolerance 0.03 allows 3x for other seeds and is 5x below the W1 between the
    // semicircle and the uniform law on [-2, 2] (0.151), so a wrong shape fails.
    assertTrue(w1 < 0.03, "W1 to the semicircle " + w1);
    assertEquals(1.0, est.integral(), 1e-6); // trapezoid on >= 6 points per sigma: ~1e-9
    // The bounds contain the semicircle's support [-2, 2] up to finite-p edge fluctuations.
    assertTrue(est.bounds().lower() < -1.95 && est.bounds().upper() > 1.95);
    assertTrue(est.bounds().lower() > -2.6 && est.bounds().upper() < 2.6);
    assertEquals(10, est.quadrature().size());
    for (QuadratureRule rule : est.quadrature()) {
      double sum = 0;
      for (double w : rule.weights()) {
        sum += w;
      }
      assertEquals(1.0, sum, 1e-12);
    }
  }

  @Test
  void marchenkoPastur() {
    int[][] shapes = {{500, 2000}, {1000, 2000}, {1000, 500}};
    for (int[] shape : shapes) {
      int p = shape[0];
      int n = shape[1];
      double gamma = (double) p / n;
      RandomMatrices.Wishart w = RandomMatrices.Wishart.gaussian(p, n, 7 + p + n);
      DensityEstimate est = SpectralDensity.estimate(w, DensityConfig.of(80, 10, 3));
      DoubleUnaryOperator law = Wasserstein.marchenkoPastur(gamma);
      double w1 = Wasserstein.toLaw(est.x(), est.density(), law);
      System.out.printf("MP gamma=%.2f: W1 %.4f sigma %.4f integral %.9f%n",
          gamma, w1, est.kernelWidth(), est.integral());
      double width = Math.pow(1 + Math.sqrt(gamma), 2);
      double atom = gamma > 1 ? 1 - 1 / gamma : 0;
      // Observed W1 / width: 0.0025 (gamma 0.25), 0.0038 (0.5), 0.0087 (2). Smoothing the point
      // mass at zero by the kernel costs atom * E|N(0, sigma)| = 0.8 sigma atom in W1 (0.029 for
      // gamma = 2); the continuous part, as for the semicircle, stays below 0.005 width. The
      // tolerance 0.8 sigma atom + 0.01 width leaves a factor 2 to 4.
      double tolerance = 0.8 * est.kernelWidth() * atom + 0.01 * width;
      assertTrue(w1 < tolerance, "gamma " + gamma + " W1 " + w1 + " > " + tolerance);
      // The point mass itself: Ritz weight of the nodes below half the bulk's lower edge. Per
      // run it is ||P_null v||^2 = atom +- sqrt(2 / p) ~ 0.045; averaged over 10 runs +- 0.015.
      double lowEdge = Math.pow(1 - Math.sqrt(gamma), 2);
      double nearZero = 0;
      for (QuadratureRule rule : est.quadrature()) {
        for (int k = 0; k < rule.steps(); k++) {
          if (rule.nodes()[k] < lowEdge / 2) {
            nearZero += rule.weights()[k] / est.quadrature().size();
          }
        }
      }
      assertEquals(atom, nearZero, 0.05, "mass at zero, gamma " + gamma);
      assertEquals(1.0, est.integral(), 1e-6);
    }
  }

  @Test
  void quadratureRulesReproduceTheirStartVectorsMoments() {
    double[] d = new double[400];
    for (int i = 0; i < d.length; i++) {
      d[i] = 1 + Math.cos(i) * 0.5; // spectrum in [0.5, 1.5]
    }
    DiagonalOperator a = new DiagonalOperator(d);
    DensityEstimate est = SpectralDensity.estimate(a, DensityConfig.of(20, 3, 99));
    for (QuadratureRule rule : est.quadrature()) {
      double[] v = new double[d.length];
      StartVector.GAUSSIAN.fillUnit(v, rule.seed());
      assertEquals(Seeds.derive(99, rule.run()), rule.seed());
      for (int k = 0; k < 2 * rule.steps(); k++) {
        double exact = 0;
        for (int i = 0; i < d.length; i++) {
          exact += v[i] * v[i] * Math.pow(d[i], k);
        }
        // Gauss exactness through the affine map to [-1, 1] and back: rounding only.
        assertEquals(exact, rule.moment(k), 1e-8 * exact, "run " + rule.run() + " k=" + k);
      }
    }
  }

  @Test
  void resultsDoNotDependOnThreadsOrCheckpoints(@TempDir Path dir) {
    RandomMatrices.Wishart w = RandomMatrices.Wishart.gaussian(300, 600, 5);
    DensityConfig config = DensityConfig.of(30, 5, 17);
    DensityEstimate sequential = SpectralDensity.estimate(w, config);
    List<Progress> reports = Collections.synchronizedList(new ArrayList<>());
    RunOptions parallel =
        RunOptions.sequential().withThreads(3).withListener(reports::add).withCheckpoints(dir, 4);
    DensityEstimate threaded = SpectralDensity.estimate(worker -> w.copy(), config, parallel);
    LanczosTest.assertBitwiseEqual(sequential.density(), threaded.density());
    for (int r = 0; r < 5; r++) {
      LanczosTest.assertBitwiseEqual(
          sequential.quadrature().get(r).nodes(), threaded.quadrature().get(r).nodes());
    }
    // Every density product was reported; the last report of the density task says done.
    long densitySteps = reports.stream().filter(p -> p.task().equals("density")).count();
    assertTrue(densitySteps >= 5 * 30);
    Progress last = reports.get(reports.size() - 1);
    assertEquals("density", last.task());
    assertEquals(java.time.Duration.ZERO, last.eta());
    // Started again on the same checkpoint directory, the estimate costs no products.
    RandomMatrices.Counting none = new RandomMatrices.Counting(w, 0);
    DensityEstimate resumed =
        SpectralDensity.estimate(
            worker -> none, config, RunOptions.sequential().withCheckpoints(dir, 4));
    LanczosTest.assertBitwiseEqual(sequential.density(), resumed.density());
  }

  @Test
  void pointSpectrumIsHandled() {
    // A = 3 I: the bounds run and every density run break down after one step.
    double[] d = new double[50];
    java.util.Arrays.fill(d, 3.0);
    DensityEstimate est = SpectralDensity.estimate(new DiagonalOperator(d), DensityConfig.of(10, 2, 1));
    for (QuadratureRule rule : est.quadrature()) {
      assertEquals(1, rule.steps());
      assertTrue(rule.breakdown());
      assertEquals(3.0, rule.nodes()[0], 1e-12);
    }
    assertEquals(1.0, est.integral(), 1e-6);
    for (double f : est.density()) {
      assertTrue(Double.isFinite(f));
    }
  }
}
