package org.hesspec.spectral;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LanczosTest {

  /** p = 300 eigenvalues spread evenly over [0.5, 1.5]: well conditioned, moments of modest size. */
  private static DiagonalOperator wellConditioned() {
    double[] d = new double[300];
    for (int i = 0; i < d.length; i++) {
      d[i] = 0.5 + i / (d.length - 1.0);
    }
    return new DiagonalOperator(d);
  }

  private static LanczosConfig config(Reorthogonalization r, int steps, long seed) {
    return new LanczosConfig(
        steps, r, StartVector.GAUSSIAN, seed, LanczosConfig.DEFAULT_BREAKDOWN_TOLERANCE);
  }

  @ParameterizedTest
  @EnumSource(Reorthogonalization.class)
  void gaussQuadratureReproducesMomentsOfTheStartVector(Reorthogonalization r) {
    DiagonalOperator a = wellConditioned();
    double[] d = new double[300];
    double[] one = new double[300];
    java.util.Arrays.fill(one, 1);
    a.apply(one, d);
    for (int m : new int[] {1, 5, 12, 20}) {
      LanczosResult run = Lanczos.run(a, config(r, m, 11));
      assertEquals(m, run.steps());
      TridiagonalEigen.Decomposition eig = run.eigen(false);
      double[] v = new double[300];
      StartVector.GAUSSIAN.fillUnit(v, 11);
      for (int k = 0; k < 2 * m; k++) {
        double exact = 0;
        for (int i = 0; i < d.length; i++) {
          exact += v[i] * v[i] * Math.pow(d[i], k);
        }
        double quadrature = 0;
        for (int j = 0; j < m; j++) {
          quadrature += eig.weights()[j] * Math.pow(eig.eigenvalues()[j], k);
        }
        // An m-node Gauss rule is exact for degree < 2m; what remains is rounding of the
        // recurrence and of the powers (k <= 39, eigenvalues <= 1.5): ~1e-13 relative. The
        // bound 1e-8 is the one asked for.
        assertEquals(exact, quadrature, 1e-8 * exact, "m=" + m + " k=" + k);
      }
      if (m == 5) {
        // Degree 2m is beyond the rule's exactness: its error, integral of the squared monic
        // orthogonal polynomial, is ~(width/4)^(2m) ~ 1e-6 here, so the check above can fail.
        double exact = 0;
        for (int i = 0; i < d.length; i++) {
          exact += v[i] * v[i] * Math.pow(d[i], 2 * m);
        }
        double quadrature = 0;
        for (int j = 0; j < m; j++) {
          quadrature += eig.weights()[j] * Math.pow(eig.eigenvalues()[j], 2 * m);
        }
        assertTrue(Math.abs(quadrature - exact) > 1e-8 * exact, "degree 2m should be inexact");
      }
    }
  }

  @Test
  void fullReorthogonalisationKeepsTheBasisOrthonormalAndSatisfiesTheLanczosRelation() {
    DenseMatrixOperator a = RandomMatrices.goe(200, 3);
    LanczosResult run = Lanczos.run(a, LanczosConfig.full(80, 5));
    double[][] q = run.basis();
    double worst = 0;
    for (int i = 0; i < q.length; i++) {
      for (int j = 0; j <= i; j++) {
        worst = Math.max(worst, Math.abs(Vectors.dot(q[i], q[j]) - (i == j ? 1 : 0)));
      }
    }
    // Two Gram-Schmidt passes keep orthogonality at the rounding level, ~ sqrt(p) eps.
    assertTrue(worst < 1e-13, "orthogonality loss " + worst);
    // A q_j = beta_{j-1} q_{j-1} + alpha_j q_j + beta_j q_{j+1} for the interior columns:
    // rounding only, ~ eps ||A|| (||A|| ~ 2).
    double[] alpha = run.alpha();
    double[] beta = run.beta();
    for (int j = 1; j < q.length - 1; j++) {
      double[] aq = a.apply(q[j]);
      for (int i = 0; i < aq.length; i++) {
        double r = aq[i] - beta[j - 1] * q[j - 1][i] - alpha[j] * q[j][i] - beta[j] * q[j + 1][i];
        assertEquals(0, r, 1e-12);
      }
    }
  }

  @Test
  void sameSeedGivesTheSameNumbersAndAnotherSeedDoesNot() {
    DenseMatrixOperator a = RandomMatrices.goe(100, 1);
    for (StartVector start : StartVector.values()) {
      LanczosConfig c = new LanczosConfig(30, Reorthogonalization.NONE, start, 42, 1e-10);
      LanczosResult x = Lanczos.run(a, c);
      LanczosResult y = Lanczos.run(a, c);
      assertArrayEquals(x.alpha(), y.alpha(), 0.0);
      assertArrayEquals(x.beta(), y.beta(), 0.0);
      LanczosResult z = Lanczos.run(a, c.withSeed(43));
      assertFalse(z.alpha()[0] == x.alpha()[0]);
    }
    double[] v = new double[1001];
    StartVector.RADEMACHER.fillRaw(v, 9);
    for (double e : v) {
      assertTrue(e == 1.0 || e == -1.0);
    }
  }

  @ParameterizedTest
  @EnumSource(Reorthogonalization.class)
  void operatorWithFewDistinctEigenvaluesBreaksDownAfterThatManySteps(Reorthogonalization r) {
    double[] values = {-3, -0.5, 1, 2, 7};
    double[] d = new double[1000];
    for (int i = 0; i < d.length; i++) {
      d[i] = values[i % values.length];
    }
    LanczosResult run = Lanczos.run(new DiagonalOperator(d), config(r, 50, 8));
    assertTrue(run.breakdown());
    assertEquals(values.length, run.steps());
    TridiagonalEigen.Decomposition eig = run.eigen(false);
    for (int k = 0; k < values.length; k++) {
      // The Krylov space is invariant, so the Ritz values are eigenvalues up to rounding.
      assertEquals(values[k], eig.eigenvalues()[k], 1e-12 * 7);
      assertTrue(Double.isFinite(eig.weights()[k]));
    }
    // The zero operator breaks down at once.
    LanczosResult zero = Lanczos.run(new DiagonalOperator(new double[10]), config(r, 5, 1));
    assertEquals(1, zero.steps());
    assertTrue(zero.breakdown());
    assertEquals(0, zero.alpha()[0]);
  }

  @Test
  void stepsAreCappedAtTheDimension() {
    LanczosResult run = Lanczos.run(RandomMatrices.goe(7, 2), LanczosConfig.full(20, 1));
    assertTrue(run.steps() <= 7);
  }

  @ParameterizedTest
  @EnumSource(Reorthogonalization.class)
  void resumedRunGivesTheSameTridiagonalBitForBit(
      Reorthogonalization r, @TempDir Path dir) {
    DenseMatrixOperator a = RandomMatrices.goe(150, 4);
    LanczosConfig c = config(r, 40, 77);
    LanczosResult uninterrupted = Lanczos.run(a, c);

    Path file = dir.resolve("run.lanczos");
    CheckpointPolicy policy = new CheckpointPolicy(file, 7);
    RandomMatrices.Counting crashing = new RandomMatrices.Counting(a, 23);
    assertThrows(IllegalStateException.class, () -> Lanczos.run(crashing, c, s -> {}, policy));
    LanczosCheckpoint saved = LanczosCheckpoint.read(file);
    assertEquals(21, saved.step()); // the last multiple of 7 before the crash at product 24
    assertFalse(saved.complete());

    RandomMatrices.Counting counting = new RandomMatrices.Counting(a, Integer.MAX_VALUE);
    LanczosResult resumed = Lanczos.runOrResume(counting, c, s -> {}, policy);
    assertEquals(40 - 21, counting.products);
    assertBitwiseEqual(uninterrupted.alpha(), resumed.alpha());
    assertBitwiseEqual(uninterrupted.beta(), resumed.beta());
    if (r == Reorthogonalization.FULL) {
      assertEquals(40, resumed.basis().length);
      assertBitwiseEqual(uninterrupted.basis()[39], resumed.basis()[39]);
    }

    // The finished run left a complete checkpoint: resuming costs no products.
    RandomMatrices.Counting none = new RandomMatrices.Counting(a, 0);
    LanczosResult again = Lanczos.runOrResume(none, c, s -> {}, policy);
    assertBitwiseEqual(uninterrupted.alpha(), again.alpha());

    // A checkpoint for another config is refused rather than silently mixed in.
    assertThrows(
        IllegalArgumentException.class,
        () -> Lanczos.runOrResume(a, c.withSeed(78), s -> {}, policy));
  }

  @Test
  void damagedCheckpointIsDetected(@TempDir Path dir) throws IOException {
    DenseMatrixOperator a = RandomMatrices.goe(50, 4);
    Path file = dir.resolve("c.lanczos");
    Lanczos.run(a, LanczosConfig.plain(10, 1), s -> {}, new CheckpointPolicy(file, 4));
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x10;
    Files.write(file, bytes);
    assertThrows(UncheckedIOException.class, () -> LanczosCheckpoint.read(file));
  }

  @Test
  void largeCheckpointRoundTrips(@TempDir Path dir) {
    // Vectors longer than the 1 MiB I/O buffer exercise the chunked reads and writes.
    int p = 300_000;
    double[] v = new double[p];
    for (int i = 0; i < p; i++) {
      v[i] = Math.sin(i);
    }
    LanczosCheckpoint c =
        new LanczosCheckpoint(
            LanczosConfig.plain(5, 3), p, 1, false, false, new double[] {0.5},
            new double[] {0.25}, new double[][] {new double[p], v});
    Path file = dir.resolve("big.lanczos");
    c.write(file);
    LanczosCheckpoint back = LanczosCheckpoint.read(file);
    assertEquals(c.config(), back.config());
    assertBitwiseEqual(v, back.vectors()[1]);
    assertBitwiseEqual(c.alpha(), back.alpha());
  }

  static void assertBitwiseEqual(double[] expected, double[] actual) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(
          Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(actual[i]),
          "entry " + i);
    }
  }
}
