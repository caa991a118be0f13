package org.hesspec.curvature;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.hesspec.curvature.CurvatureOperator;
import org.hesspec.curvature.NonlinearCurvatureTest.Net;
import org.hesspec.model.ModelDefinition;
import org.hesspec.model.Precision;
import org.hesspec.spectral.AffineOperator;
import org.hesspec.spectral.CheckpointPolicy;
import org.hesspec.spectral.Lanczos;
import org.hesspec.spectral.LanczosConfig;
import org.hesspec.spectral.LanczosResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lanczos with its vectors kept where the products run ({@link CurvatureGraph#recurrence}) against
 * the same recurrence on Java arrays through {@link LinearOperator#apply} (the operator wrapped so
 * that it offers no recurrence), on the tanh MLP of {@link NonlinearCurvatureTest} (p = 99, N =
 * 24). Float32 runs both ways the graph offers: the update fused into two sweeps over host memory
 * ({@link FusedRecurrence}, the default) and the update as TensorFlow ops ({@link
 * ResidentRecurrence}, what float64 and device sessions use).
 *
 * <p>Tolerances: both paths compute the same formulas with different summation orders
 * (TensorFlow's reductions against a Java loop). Before plain Lanczos loses orthogonality the
 * coefficients agree to rounding: 1e-13 of ||T|| in float64 (measured 1e-15), 1e-6 in float32
 * (measured 1.2e-7, the products' own float32 rounding). After that, rounding differences grow
 * 30-fold per step and single coefficients diverge, as in any two plain Lanczos runs, but the
 * quadrature's moments do not: 1e-12 (float64, measured 6e-16) and 1e-6 (float32, measured 1.3e-9)
 * relative to ||T||^m. A wrong
 * formula shows at 1e-2 or more in both. Checkpoint/resume and interleaving two recurrences
 * on one graph must reproduce T bit for bit: the same ops run on the same bits.
 */
class ResidentRecurrenceTest {

  static final int STEPS = 25;

  /** The operator with {@link LinearOperator#recurrence} hidden: Lanczos runs on Java arrays. */
  static LinearOperator arrays(LinearOperator a) {
    return new LinearOperator() {
      @Override
      public int dimension() {
        return a.dimension();
      }

      @Override
      public void apply(double[] v, double[] out) {
        a.apply(v, out);
      }
    };
  }

  /**
   * Steps before the plain recurrence loses orthogonality on this operator (measured: float64
   * differences stay at 1e-16 up to step 19, then grow 30-fold per step as Ritz values converge
   * and rounding is amplified; float32 up to step 14).
   */
  static final int ORTHOGONAL_STEPS = 12;

  /**
   * The largest difference of the Gauss quadrature moments {@code sum_k w_k t_k^m}, m = 1..8,
   * relative to {@code scale^m}. The quadrature of plain Lanczos keeps the moments of q_0's
   * spectral measure after orthogonality is lost (Greenbaum 1989; ghost Ritz values share their
   * weight), so two runs that differ only in rounding agree in them over all steps.
   */
  static double maxMomentDifference(LanczosResult a, LanczosResult b, double scale) {
    double d = 0;
    for (int m = 1; m <= 8; m++) {
      d = Math.max(d, Math.abs(moment(a, m) - moment(b, m)) / Math.pow(scale, m));
    }
    return d;
  }

  static double moment(LanczosResult r, int m) {
    var eig = r.eigen(false);
    double s = 0;
    for (int k = 0; k < eig.size(); k++) {
      s += eig.weights()[k] * Math.pow(eig.eigenvalues()[k], m);
    }
    return s;
  }

  static double maxDifference(LanczosResult a, LanczosResult b, int steps) {
    double d = 0;
    for (int j = 0; j < steps; j++) {
      d = Math.max(d, Math.abs(a.alpha()[j] - b.alpha()[j]));
      d = Math.max(d, Math.abs(a.beta()[j] - b.beta()[j]));
    }
    return d;
  }

  static double scale(LanczosResult r) {
    double s = 0;
    for (int j = 0; j < r.steps(); j++) {
      s = Math.max(s, Math.abs(r.alpha()[j]) + r.beta()[j]);
    }
    return s;
  }

  static CurvatureGraph graph(Precision precision) {
    ModelDefinition m = NonlinearCurvatureTest.model(Net.TANH_MLP, precision);
    return new CurvatureGraph(m, Loss.CROSS_ENTROPY, m.layout(), SessionSettings.defaults());
  }

  /** A float32 graph whose recurrences fuse their update ({@code fused}) or run it as TensorFlow ops; checks which one it makes. */
  static CurvatureGraph float32Graph(boolean fused, BatchedData d) {
    CurvatureGraph g = graph(Precision.FLOAT32);
    g.useFusedUpdate(fused);
    try (RecurrenceVectors r = g.recurrence(CurvatureOperator.HESSIAN, d, 0, 1)) {
      assertEquals(fused ? FusedRecurrence.class : ResidentRecurrence.class, r.getClass());
    }
    return g;
  }

  @Test
  void theBuildAndTheTestsRunWithTheVectorApi() {
    // the surefire argLine and the launcher add jdk.incubator.vector: without it float32 Lanczos
    // would silently fall back to the slower update, and the fused one would go untested
    assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), "jdk.incubator.vector is not loaded");
    org.junit.jupiter.api.Assumptions.assumeTrue(FusedLanczosKernels.worthwhile(), "this CPU has fewer than 8 float32 SIMD lanes");
    assertTrue(FusedRecurrence.available());
  }

  static BatchedData data(Precision precision, int batch) {
    return BatchedData.of(Net.TANH_MLP.data(), batch, precision);
  }

  @Test
  void float64RecurrenceInTheSessionEqualsTheJavaRecurrence() {
    try (CurvatureGraph g = graph(Precision.FLOAT64); BatchedData d = data(Precision.FLOAT64, 10)) {
      for (LinearOperator a : new LinearOperator[] {g.operator(CurvatureOperator.HESSIAN, d), g.operator(CurvatureOperator.GAUSS_NEWTON, d),
          g.operator(CurvatureOperator.RESIDUAL_HESSIAN, d), new AffineOperator(g.operator(CurvatureOperator.HESSIAN, d), 0.3, 2.5),
          // the mean gradient's rank-one term is subtracted in the session, after the mini-batch sum
          g.operator(CurvatureOperator.GRADIENT_COVARIANCE, d)}) {
        LanczosConfig cfg = LanczosConfig.plain(STEPS, 7);
        LanczosResult resident = Lanczos.run(a, cfg);
        LanczosResult java = Lanczos.run(arrays(a), cfg);
        assertEquals(java.steps(), resident.steps());
        double scale = scale(java);
        assertTrue(maxDifference(resident, java, ORTHOGONAL_STEPS) <= 1e-13 * scale, a + ": " + maxDifference(resident, java, ORTHOGONAL_STEPS));
        assertTrue(maxMomentDifference(resident, java, scale) <= 1e-12, a + ": moments " + maxMomentDifference(resident, java, scale));
      }
    }
  }

  @ParameterizedTest(name = "fused update: {0}")
  @ValueSource(booleans = {true, false})
  void float32RecurrenceAgreesToFloat32Rounding(boolean fused) {
    assumeFusedAvailable(fused);
    try (BatchedData d = data(Precision.FLOAT32, 24); CurvatureGraph g = float32Graph(fused, d)) {
      LinearOperator a = g.operator(CurvatureOperator.HESSIAN, d);
      LanczosConfig cfg = LanczosConfig.plain(STEPS, 8);
      LanczosResult resident = Lanczos.run(a, cfg);
      LanczosResult java = Lanczos.run(arrays(a), cfg);
      double scale = scale(java);
      assertTrue(maxDifference(resident, java, ORTHOGONAL_STEPS) <= 1e-6 * scale, "difference " + maxDifference(resident, java, ORTHOGONAL_STEPS));
      assertTrue(maxMomentDifference(resident, java, scale) <= 1e-6, "moments " + maxMomentDifference(resident, java, scale));
    }
  }

  @ParameterizedTest(name = "fused update: {0}")
  @ValueSource(booleans = {true, false})
  void resumeFromACheckpointReproducesTheRunBitForBit(boolean fused, @TempDir Path dir) {
    assumeFusedAvailable(fused);
    try (BatchedData d = data(Precision.FLOAT32, 10); CurvatureGraph g = float32Graph(fused, d)) {
      LinearOperator a = new AffineOperator(g.operator(CurvatureOperator.HESSIAN, d), 0.1, 3.0);
      LanczosConfig cfg = LanczosConfig.plain(STEPS, 9);
      LanczosResult whole = Lanczos.run(a, cfg);
      Path file = dir.resolve("run.ckpt");
      // stop after 10 steps (the checkpoint written at step 10), then resume from the file
      RuntimeException stop = new RuntimeException("stop");
      RuntimeException thrown = assertThrows(RuntimeException.class, () -> Lanczos.runOrResume(a, cfg, step -> {
        if (step == 11) {
          throw stop;
        }
      }, new CheckpointPolicy(file, 5)));
      assertEquals(stop, thrown);
      g.apply(CurvatureOperator.GAUSS_NEWTON, new double[g.dimension()], d); // overwrite the session's vectors
      LanczosResult resumed = Lanczos.runOrResume(a, cfg, step -> {}, new CheckpointPolicy(file, 5));
      assertArrayEquals(whole.alpha(), resumed.alpha());
      assertArrayEquals(whole.beta(), resumed.beta());
    }
  }

  @ParameterizedTest(name = "fused update: {0}")
  @ValueSource(booleans = {true, false})
  void interleavedRecurrencesOnOneGraphGiveTheirOwnRuns(boolean fused) {
    assumeFusedAvailable(fused);
    try (BatchedData d = data(Precision.FLOAT32, 24); CurvatureGraph g = float32Graph(fused, d)) {
      LinearOperator h = g.operator(CurvatureOperator.HESSIAN, d);
      LinearOperator gn = g.operator(CurvatureOperator.GAUSS_NEWTON, d);
      LanczosResult alone1 = Lanczos.run(h, LanczosConfig.plain(STEPS, 1));
      LanczosResult alone2 = Lanczos.run(gn, LanczosConfig.plain(STEPS, 2));
      // two runs stepping in turn on one graph, with plain products in between
      double[][] t1 = new double[2][STEPS];
      double[][] t2 = new double[2][STEPS];
      try (RecurrenceVectors r1 = h.recurrence(0, 1).orElseThrow(); RecurrenceVectors r2 = gn.recurrence(0, 1).orElseThrow()) {
        r1.load(null, startVector(g.dimension(), 1));
        r2.load(null, startVector(g.dimension(), 2));
        double b1 = 0;
        double b2 = 0;
        for (int j = 0; j < STEPS; j++) {
          double[] s1 = r1.step(b1);
          g.apply(CurvatureOperator.HESSIAN, new double[g.dimension()], d);
          double[] s2 = r2.step(b2);
          t1[0][j] = s1[0];
          t1[1][j] = b1 = Math.sqrt(s1[1]);
          t2[0][j] = s2[0];
          t2[1][j] = b2 = Math.sqrt(s2[1]);
        }
      }
      assertArrayEquals(alone1.alpha(), t1[0]);
      assertArrayEquals(alone1.beta(), t1[1]);
      assertArrayEquals(alone2.alpha(), t2[0]);
      assertArrayEquals(alone2.beta(), t2[1]);
    }
  }

  @Test
  void closedStorageIsReusedAndAClosedRecurrenceRefusesWork() {
    try (CurvatureGraph g = graph(Precision.FLOAT64); BatchedData d = data(Precision.FLOAT64, 24)) {
      LinearOperator h = g.operator(CurvatureOperator.HESSIAN, d);
      RecurrenceVectors r = h.recurrence(0, 1).orElseThrow();
      r.load(null, startVector(g.dimension(), 3));
      double[] first = r.step(0);
      r.close();
      assertThrows(IllegalStateException.class, () -> r.step(0));
      long before = g.model().layout().dimension();
      try (RecurrenceVectors again = h.recurrence(0, 1).orElseThrow()) {
        again.load(null, startVector(g.dimension(), 3));
        assertArrayEquals(first, again.step(0));
        assertEquals(before, again.dimension());
      }
      assertThrows(IllegalArgumentException.class, () -> h.recurrence(0, 0));
      assertThrows(IllegalArgumentException.class, () -> {
        try (RecurrenceVectors bad = h.recurrence(0, 1).orElseThrow()) {
          bad.load(null, new double[3]);
        }
      });
    }
  }

  static void assumeFusedAvailable(boolean fused) {
    org.junit.jupiter.api.Assumptions.assumeTrue(!fused || FusedRecurrence.available(), "no vector API here");
  }

  /** The start vector Lanczos draws for {@code seed} (Rademacher/Gaussian as LanczosConfig.plain sets it). */
  static double[] startVector(int p, long seed) {
    double[] q = new double[p];
    LanczosConfig.plain(STEPS, seed).startVector().fillUnit(q, seed);
    return q;
  }
}
