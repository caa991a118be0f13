package org.hesspec.curvature;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.hesspec.model.Precision;
import org.hesspec.spectral.Lanczos;
import org.hesspec.spectral.LanczosConfig;
import org.hesspec.spectral.LanczosResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fused recurrence's edge cases on the float32 tanh MLP of {@link ResidentRecurrenceTest} (p =
 * 99), against its dense Hessian (float32 products, symmetrised, decomposed by EJML in float64).
 * Ordinary steps, resumes and interleaving are in {@link ResidentRecurrenceTest}, for both updates.
 *
 * <p>Tolerances, relative to ||H||: float32 products are accurate to about 1e-6 of ||H|| here (p =
 * 99 terms of float32 rounding), so a Ritz value or alpha on a float32-rounded eigenvector is
 * allowed 1e-4; a wrong coefficient or a vector left unnormalised is off by O(1).
 */
class FusedRecurrenceTest {

  @BeforeAll
  static void vectorApi() {
    org.junit.jupiter.api.Assumptions.assumeTrue(FusedRecurrence.available(), "no vector API or SIMD here");
  }

  /** Eigenvalues (ascending) and eigenvectors (columns of the same order) of the symmetrised dense operator. */
  private record Dense(double[] values, double[][] vectors, double norm) {}

  private static Dense dense(LinearOperator a) {
    double[][] m = CurvatureNumerics.dense(a);
    int p = m.length;
    DMatrixRMaj sym = new DMatrixRMaj(p, p);
    for (int i = 0; i < p; i++) {
      for (int j = 0; j < p; j++) {
        sym.set(i, j, 0.5 * (m[i][j] + m[j][i]));
      }
    }
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(p, true, true);
    assertTrue(eig.decompose(sym));
    Integer[] order = new Integer[p];
    for (int k = 0; k < p; k++) {
      order[k] = k;
    }
    Arrays.sort(order, (x, y) -> Double.compare(eig.getEigenvalue(x).real, eig.getEigenvalue(y).real));
    double[] values = new double[p];
    double[][] vectors = new double[p][];
    for (int k = 0; k < p; k++) {
      values[k] = eig.getEigenvalue(order[k]).real;
      vectors[k] = eig.getEigenVector(order[k]).getData().clone();
    }
    return new Dense(values, vectors, Math.max(Math.abs(values[0]), Math.abs(values[p - 1])));
  }

  @Test
  void aStartOnAnEigenvectorEndsWithANegligibleResidualAndAUnitVector() {
    try (BatchedData d = ResidentRecurrenceTest.data(Precision.FLOAT32, 24);
        CurvatureGraph g = ResidentRecurrenceTest.float32Graph(true, d)) {
      LinearOperator h = g.operator(CurvatureOperator.HESSIAN, d);
      Dense dense = dense(h);
      int top = dense.values().length - 1;
      double[] q = dense.vectors()[top];
      try (RecurrenceVectors r = g.recurrence(CurvatureOperator.HESSIAN, d, 0, 1)) {
        r.load(null, q);
        double[] step = r.step(0);
        // w = H q - alpha q is rounding: |w|^2 is far below 1e-4 |x|^2, so the norm comes from the
        // third pass, not from the identity, and q_1 is a unit vector all the same
        assertEquals(dense.values()[top], step[0], 1e-4 * dense.norm(), "alpha");
        assertTrue(Math.sqrt(step[1]) <= 1e-4 * dense.norm(), "residual " + Math.sqrt(step[1]));
        double[] next = r.current();
        assertEquals(1.0, CurvatureNumerics.dot(next, next), 1e-5, "|q_1|^2");
        double[] previous = r.previous();
        for (int i = 0; i < q.length; i++) {
          assertEquals((float) q[i], (float) previous[i], "q_0 moved into q_{j-1} as it was");
        }
        double[] again = r.step(Math.sqrt(step[1]));
        assertTrue(Double.isFinite(again[0]) && Double.isFinite(again[1]), "the step after it: " + Arrays.toString(again));
      }
    }
  }

  @Test
  void moreStepsThanDimensionsEndWithTheExtremeEigenvalues() {
    try (BatchedData d = ResidentRecurrenceTest.data(Precision.FLOAT32, 24);
        CurvatureGraph g = ResidentRecurrenceTest.float32Graph(true, d)) {
      LinearOperator h = g.operator(CurvatureOperator.HESSIAN, d);
      Dense dense = dense(h);
      int p = g.dimension();
      LanczosResult run = Lanczos.run(h, LanczosConfig.plain(2 * p, 5));
      double[] ritz = run.eigen(false).eigenvalues();
      double low = Arrays.stream(ritz).min().orElseThrow();
      double high = Arrays.stream(ritz).max().orElseThrow();
      assertTrue(Arrays.stream(ritz).allMatch(Double::isFinite));
      assertEquals(dense.values()[0], low, 1e-4 * dense.norm(), "smallest");
      assertEquals(dense.values()[p - 1], high, 1e-4 * dense.norm(), "largest");
    }
  }

  /**
   * A JVM started without {@code --add-modules jdk.incubator.vector} (a library user's, say) must
   * not touch the vector API's classes: float32 Lanczos takes the TensorFlow update and gives the
   * same coefficients to float32 rounding (the child prints the recurrence's class and its first
   * coefficients).
   */
  @Test
  void withoutTheVectorApiModuleFloat32LanczosTakesTheTensorFlowUpdate() throws Exception {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(javaBin, "-Xmx1g", "-cp", System.getProperty("java.class.path"), WithoutVectorApi.class.getName())
        .redirectErrorStream(true);
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    Process child = pb.start();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(child.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, child.exitValue(), out);
    String last = out.lines().filter(l -> l.startsWith("recurrence ")).findFirst().orElseThrow(() -> new AssertionError(out));
    String[] f = last.split(" ");
    assertEquals(ResidentRecurrence.class.getSimpleName(), f[1], out);
    try (BatchedData d = ResidentRecurrenceTest.data(Precision.FLOAT32, 24);
        CurvatureGraph g = ResidentRecurrenceTest.float32Graph(true, d);
        RecurrenceVectors r = g.recurrence(CurvatureOperator.HESSIAN, d, 0, 1)) {
      r.load(null, ResidentRecurrenceTest.startVector(g.dimension(), 4));
      double[] fused = r.step(0);
      assertEquals(fused[0], Double.parseDouble(f[2]), 1e-5 * Math.abs(fused[0]), "alpha");
      assertEquals(fused[1], Double.parseDouble(f[3]), 1e-5 * Math.abs(fused[1]), "beta^2");
    }
  }

  /** The child of the test above: one float32 Lanczos step, printed. */
  static final class WithoutVectorApi {
    public static void main(String[] args) {
      if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
        throw new IllegalStateException("started with the vector API module");
      }
      try (BatchedData d = ResidentRecurrenceTest.data(Precision.FLOAT32, 24);
          CurvatureGraph g = ResidentRecurrenceTest.graph(Precision.FLOAT32);
          RecurrenceVectors r = g.recurrence(CurvatureOperator.HESSIAN, d, 0, 1)) {
        r.load(null, ResidentRecurrenceTest.startVector(g.dimension(), 4));
        double[] step = r.step(0);
        System.out.println("recurrence " + r.getClass().getSimpleName() + " " + step[0] + " " + step[1]);
      }
    }
  }

  @Test
  void aClosedRecurrenceLeavesTheGraphWorkingAndItsSuccessorRepeatsIt() {
    try (BatchedData d = ResidentRecurrenceTest.data(Precision.FLOAT32, 24);
        CurvatureGraph g = ResidentRecurrenceTest.float32Graph(true, d)) {
      double[] start = ResidentRecurrenceTest.startVector(g.dimension(), 4);
      RecurrenceVectors r = g.recurrence(CurvatureOperator.HESSIAN, d, 0, 1);
      r.load(null, start);
      double[] first = r.step(0);
      r.close(); // while v still shares its q_j
      assertThrows(IllegalStateException.class, () -> r.step(0));
      double[] hv = g.apply(CurvatureOperator.HESSIAN, start, d);
      assertTrue(Arrays.stream(hv).allMatch(Double::isFinite));
      try (RecurrenceVectors again = g.recurrence(CurvatureOperator.HESSIAN, d, 0, 1)) {
        again.load(null, start);
        assertArrayEquals(first, again.step(0));
      }
    }
  }
}
