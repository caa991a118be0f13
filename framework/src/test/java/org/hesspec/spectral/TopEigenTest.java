package org.hesspec.spectral;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.decomposition.QRDecomposition;
import org.hesspec.curvature.LinearOperator;
import org.hesspec.model.Precision;
import org.hesspec.spectral.TopEigenConfig.Which;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thick-restart Lanczos ({@link TopEigen}) against operators with known spectra and against EJML's
 * dense symmetric eigensolver.
 *
 * <p>Tolerances. A unit vector x with residual r = ||A x - theta x|| has an eigenvalue within r of
 * theta, and within r^2 / gap when the other eigenvalues are a gap away; the angle between x and
 * the eigenspace of that eigenvalue is at most r / gap (Davis-Kahan; Parlett, The Symmetric
 * Eigenvalue Problem, sec. 11-7). The tests check eigenvalues to {@code tol * ||A||} (what
 * convergence guarantees whatever the gap), the reported residuals against a recomputed one, and
 * angles to {@code 2 r / gap + 1e-10} (the 1e-10 covers the rounding of the dense reference).
 */
class TopEigenTest {

  /** {@code Q diag(lambda) Q^T} with Q Haar-random orthogonal (QR of a Gaussian matrix). */
  static DenseMatrixOperator withSpectrum(double[] lambda, long seed) {
    int p = lambda.length;
    SplittableRandom random = new SplittableRandom(seed);
    DMatrixRMaj g = new DMatrixRMaj(p, p);
    for (int i = 0; i < p * p; i++) {
      g.data[i] = RandomMatrices.gaussian(random);
    }
    QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(p, p);
    qr.decompose(g);
    DMatrixRMaj q = qr.getQ(null, false);
    double[] a = new double[p * p];
    for (int i = 0; i < p; i++) {
      for (int j = 0; j <= i; j++) {
        double s = 0;
        for (int l = 0; l < p; l++) {
          s += q.get(i, l) * lambda[l] * q.get(j, l);
        }
        a[i * p + j] = s;
        a[j * p + i] = s;
      }
    }
    return new DenseMatrixOperator(p, a);
  }

  /** Uniform values in [lo, hi], then the given extremes in front. */
  static double[] spectrum(int p, double lo, double hi, long seed, double... extremes) {
    double[] lambda = new double[p];
    System.arraycopy(extremes, 0, lambda, 0, extremes.length);
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = extremes.length; i < p; i++) {
      lambda[i] = lo + (hi - lo) * random.nextDouble();
    }
    return lambda;
  }

  private static double residual(LinearOperator a, double theta, double[] x) {
    double[] ax = a.apply(x);
    double r = 0;
    for (int i = 0; i < x.length; i++) {
      r += Math.pow(ax[i] - theta * x[i], 2);
    }
    return Math.sqrt(r);
  }

  private static double maxAbs(double[] values) {
    double m = 0;
    for (double v : values) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  /** The sorted reference values the pairs should match, in the pairs' report order. */
  private static double[] expected(double[] lambda, EigenPairs pairs) {
    double[] asc = lambda.clone();
    Arrays.sort(asc);
    int n = asc.length;
    double[] e = new double[pairs.count()];
    switch (pairs.config().which()) {
      case LARGEST -> {
        for (int i = 0; i < e.length; i++) {
          e[i] = asc[n - 1 - i];
        }
      }
      case SMALLEST -> {
        for (int i = 0; i < e.length; i++) {
          e[i] = asc[i];
        }
      }
      case BOTH_ENDS -> {
        int top = pairs.fromLargestEnd();
        for (int i = 0; i < top; i++) {
          e[i] = asc[n - 1 - i];
        }
        for (int i = top; i < e.length; i++) {
          e[i] = asc[i - top];
        }
      }
      case LARGEST_MAGNITUDE -> {
        Double[] boxed = Arrays.stream(asc).boxed().toArray(Double[]::new);
        Arrays.sort(boxed, (x, y) -> Double.compare(Math.abs(y), Math.abs(x)));
        for (int i = 0; i < e.length; i++) {
          e[i] = boxed[i];
        }
      }
    }
    return e;
  }

  /** Every pair converged, matches the reference, and reports its true residual. */
  private static void assertMatches(LinearOperator a, double[] lambda, EigenPairs pairs) {
    double norm = maxAbs(lambda);
    double tol = pairs.config().tolerance();
    double[] e = expected(lambda, pairs);
    assertEquals(pairs.config().wanted(), pairs.count());
    for (int i = 0; i < pairs.count(); i++) {
      assertTrue(pairs.converged()[i], "pair " + i + " converged: " + pairs.residuals()[i]);
      assertTrue(pairs.residuals()[i] <= tol * norm * (1 + 1e-6));
      assertEquals(e[i], pairs.eigenvalues()[i], tol * norm, "eigenvalue " + i);
      if (pairs.vectors() != null) {
        double[] x = pairs.vectors()[i];
        assertEquals(1.0, Vectors.norm(x), 1e-12);
        assertEquals(residual(a, pairs.eigenvalues()[i], x), pairs.residuals()[i], 1e-12 * norm);
      }
    }
  }

  @Test
  void agreesWithEjmlOnRandomMatricesInValuesVectorsAndResiduals() {
    for (long seed = 1; seed <= 3; seed++) {
      int p = 80 + 20 * (int) seed;
      DenseMatrixOperator a = RandomMatrices.goe(p, seed);
      DMatrixRMaj m = new DMatrixRMaj(p, p);
      for (int i = 0; i < p; i++) {
        for (int j = 0; j < p; j++) {
          m.set(i, j, a.get(i, j));
        }
      }
      EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(p, true, true);
      assertTrue(eig.decompose(m));
      double[] lambda = new double[p];
      double[][] vectors = new double[p][];
      for (int i = 0; i < p; i++) {
        lambda[i] = eig.getEigenvalue(i).getReal();
        vectors[i] = eig.getEigenVector(i).data.clone();
      }
      for (Which which : Which.values()) {
        int k = which == Which.BOTH_ENDS ? 3 : 5;
        EigenPairs pairs = TopEigen.compute(a, TopEigenConfig.of(k, which, seed));
        assertMatches(a, lambda, pairs);
        assertTrue(pairs.restarts() > 0, "the default basis restarts at p = " + p);
        for (int i = 0; i < pairs.count(); i++) {
          // The EJML eigenvector of the nearest eigenvalue and its gap to the others.
          int nearest = 0;
          for (int j = 1; j < p; j++) {
            if (Math.abs(lambda[j] - pairs.eigenvalues()[i])
                < Math.abs(lambda[nearest] - pairs.eigenvalues()[i])) {
              nearest = j;
            }
          }
          double gap = Double.POSITIVE_INFINITY;
          for (int j = 0; j < p; j++) {
            if (j != nearest) {
              gap = Math.min(gap, Math.abs(lambda[j] - lambda[nearest]));
            }
          }
          double[] v = vectors[nearest];
          double cos = Math.abs(Vectors.dot(v, pairs.vectors()[i])) / Vectors.norm(v);
          double sin = Math.sqrt(Math.max(0, 1 - cos * cos));
          assertTrue(sin <= 2 * pairs.residuals()[i] / gap + 1e-7,
              which + " pair " + i + ": sin " + sin + ", residual " + pairs.residuals()[i]
                  + ", gap " + gap);
        }
      }
    }
  }

  @Test
  void findsAllThreeCopiesOfARepeatedTopEigenvalue() {
    double[] lambda = spectrum(200, -1, 1, 7, 10, 10, 10, 9, 8.5);
    DenseMatrixOperator a = withSpectrum(lambda, 8);
    EigenPairs pairs = TopEigen.compute(a, TopEigenConfig.of(5, 3));
    System.out.printf("multiplicity 3 (Q diag Q^T): %s, %d products, %d restarts%n",
        Arrays.toString(pairs.eigenvalues()), pairs.products(), pairs.restarts());
    assertMatches(a, lambda, pairs);
    // The three Ritz vectors of 10 span its eigenspace: their Gram matrix is the identity (they
    // are orthonormal) and each lies in the eigenspace to within residual / gap (gap 1).
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        assertEquals(i == j ? 1 : 0, Vectors.dot(pairs.vectors()[i], pairs.vectors()[j]), 1e-10);
      }
    }
  }

  @Test
  void findsTheCopiesOfAnExactlyRepeatedEigenvalueOfADiagonalOperator() {
    // Exactly repeated: a single start vector's Krylov space holds one vector of the eigenspace,
    // and the diagonal products add no rounding across its coordinates; the verification start
    // vector (orthogonal to the locked pairs) is what finds the other two copies.
    double[] lambda = spectrum(300, -1, 0.9, 9, 1, 1, 1, 0.95, 0.94);
    DiagonalOperator a = new DiagonalOperator(lambda);
    EigenPairs pairs = TopEigen.compute(a, TopEigenConfig.of(5, 4));
    System.out.printf("diagonal multiplicity 3: %s, %d products, %d restarts%n",
        Arrays.toString(pairs.eigenvalues()), pairs.products(), pairs.restarts());
    assertMatches(a, lambda, pairs);
  }

  @Test
  void clusteredTopEigenvalues() {
    // Five eigenvalues within 1e-6 of each other at the top, then a gap of 0.5 to the bulk.
    double[] lambda = spectrum(150, 0, 1, 11, 2, 2 - 2e-7, 2 - 5e-7, 2 - 7e-7, 2 - 1e-6, 1.5);
    DenseMatrixOperator a = withSpectrum(lambda, 12);
    assertMatches(a, lambda, TopEigen.compute(a, TopEigenConfig.of(6, 13)));
  }

  @Test
  void negativeEndWithAGapOf1e3() {
    double[] lambda = spectrum(200, -0.9, 1, 21, -1, -1 + 1e-3, -0.95);
    DenseMatrixOperator a = withSpectrum(lambda, 22);
    EigenPairs pairs = TopEigen.compute(a, TopEigenConfig.of(3, Which.SMALLEST, 23));
    assertMatches(a, lambda, pairs);
    // Rank 1 is the most negative.
    assertEquals(-1, pairs.eigenvalues()[0], 1e-8);
    assertEquals(1, pairs.rank(0));
    assertTrue(pairs.smallestEnd(0));
    // Both ends: the largest k (descending) then the smallest k (ascending), ranks from each end.
    EigenPairs both = TopEigen.compute(a, TopEigenConfig.of(3, Which.BOTH_ENDS, 23));
    assertMatches(a, lambda, both);
    assertEquals(3, both.fromLargestEnd());
    assertEquals(1, both.rank(3));
    assertTrue(both.smallestEnd(3));
    assertFalse(both.smallestEnd(2));
    assertEquals(-1, both.eigenvalues()[3], 1e-8);
  }

  @Test
  void noGapAtK() {
    // lambda_3 = lambda_4 and lambda_5 only 1e-9 below: k = 3 cuts through a cluster.
    double[] lambda = spectrum(120, -1, 1, 31, 5, 4, 3, 3, 3 - 1e-9);
    DenseMatrixOperator a = withSpectrum(lambda, 32);
    assertMatches(a, lambda, TopEigen.compute(a, TopEigenConfig.of(3, 33)));
  }

  @Test
  void restartBoundaries() {
    double[] lambda = spectrum(100, -1, 1, 41, 3, 2.5, 2);
    DenseMatrixOperator a = withSpectrum(lambda, 42);
    // The smallest basis (k + 1: one new vector per cycle), a few sizes around 2k + 1, and a
    // basis as large as the space (no restart: the space is exhausted).
    for (int m : new int[] {4, 6, 7, 8, 15, 99, 100, 150}) {
      EigenPairs pairs =
          TopEigen.compute(a, TopEigenConfig.of(3, 43).withBasisSize(m).withMaxProducts(20000));
      assertMatches(a, lambda, pairs);
      if (m >= 100) {
        assertEquals(0, pairs.restarts());
      } else if (m < 15) {
        assertTrue(pairs.restarts() > 0);
      }
    }
  }

  @Test
  void tinyDimensionsAndBreakdown() {
    // Five distinct values in dimension 7: breakdown after five products, then random vectors
    // orthogonal to the basis find the other copies of 7.
    double[] d = {-3, -0.5, 1, 2, 7, 7, 7};
    DiagonalOperator a = new DiagonalOperator(d);
    assertMatches(a, d, TopEigen.compute(a, TopEigenConfig.of(3, 1)));
    assertMatches(a, d, TopEigen.compute(a, TopEigenConfig.of(2, Which.BOTH_ENDS, 1)));
    // k = p and p = 1.
    assertMatches(a, d, TopEigen.compute(a, TopEigenConfig.of(7, Which.SMALLEST, 2)));
    double[] one = {-4};
    EigenPairs single = TopEigen.compute(new DiagonalOperator(one), TopEigenConfig.of(1, 3));
    assertMatches(new DiagonalOperator(one), one, single);
    // Both ends in dimension 3 with k = 2: the ends split the space (2 at the top, 1 below).
    double[] three = {1, 2, 3};
    EigenPairs both =
        TopEigen.compute(new DiagonalOperator(three), TopEigenConfig.of(2, Which.BOTH_ENDS, 4));
    assertArrayEquals(new double[] {3, 2, 1}, both.eigenvalues(), 1e-14);
  }

  @Test
  void theProductBudgetBoundsTheWorkAndMarksUnconvergedPairs() {
    // A GOE matrix has no gap at its edge: 30 products cannot converge 5 pairs to 1e-8.
    DenseMatrixOperator a = RandomMatrices.goe(300, 51);
    RandomMatrices.Counting counting = new RandomMatrices.Counting(a, Integer.MAX_VALUE);
    TopEigenConfig config = TopEigenConfig.of(5, 52).withMaxProducts(30);
    EigenPairs pairs = TopEigen.compute(counting, config);
    assertEquals(30, counting.products);
    assertEquals(30, pairs.products());
    assertEquals(5, pairs.count());
    assertTrue(pairs.convergedCount() < 5);
    for (int i = 0; i < 5; i++) {
      assertEquals(pairs.residuals()[i] <= 1e-8 * maxAbs(pairs.eigenvalues()) * 1.0000001
          || pairs.converged()[i], pairs.converged()[i]);
    }
    // Enough budget: the same converges, in fewer products than the budget.
    EigenPairs full = TopEigen.compute(a, TopEigenConfig.of(5, 52));
    assertEquals(5, full.convergedCount());
    assertTrue(full.products() < full.config().maxProducts());
  }

  @Test
  void float32BasisConvergesToTheFloat32Tolerance() {
    double[] lambda = spectrum(300, -1, 1, 61, 4, 3, -2.5);
    DenseMatrixOperator a = withSpectrum(lambda, 62);
    TopEigenConfig config =
        TopEigenConfig.of(3, Which.BOTH_ENDS, 63)
            .withBasisPrecision(Precision.FLOAT32)
            .withTolerance(TopEigenConfig.FLOAT32_TOLERANCE);
    EigenPairs pairs = TopEigen.compute(a, config);
    assertMatches(a, lambda, pairs);
  }

  @Test
  void resumesInTheMiddleOfARestartCycleBitForBit(@TempDir Path dir) {
    double[] lambda = spectrum(150, -1, 1, 71, 3, 2.9, 2.8, 2.7, -2);
    DenseMatrixOperator a = withSpectrum(lambda, 72);
    for (Precision precision : Precision.values()) {
      TopEigenConfig config =
          TopEigenConfig.of(4, Which.BOTH_ENDS, 73).withBasisSize(12).withBasisPrecision(precision)
              .withTolerance(TopEigenConfig.defaultTolerance(precision));
      EigenPairs whole = TopEigen.compute(a, config);
      assertTrue(whole.restarts() >= 2);
      Path file = dir.resolve(precision + ".restart");
      // Crash after 17 products (checkpoint every 5: the state of product 15, mid-cycle since
      // the first cycle is 12 products and later ones at most 4), then half-way through the rest.
      RandomMatrices.Counting crash = new RandomMatrices.Counting(a, 17);
      assertThrows(IllegalStateException.class, () -> TopEigen.resume(crash, config, file, 5));
      assertTrue(Files.exists(file));
      RandomMatrices.Counting crash2 = new RandomMatrices.Counting(a, (int) (whole.products() - 15) / 2);
      assertThrows(IllegalStateException.class, () -> TopEigen.resume(crash2, config, file, 5));
      EigenPairs resumed = TopEigen.resume(a, config, file, 5);
      EigenPairsAssertions.assertIdentical(whole, resumed);
      // A checkpoint for another config is refused.
      assertThrows(IllegalArgumentException.class,
          () -> TopEigen.resume(a, config.withTolerance(1e-6), file, 5));
    }
  }

  @Test
  void aDamagedCheckpointIsDetectedNotResumed(@TempDir Path dir) throws Exception {
    DenseMatrixOperator a = RandomMatrices.goe(100, 91);
    TopEigenConfig config = TopEigenConfig.of(3, 92);
    Path file = dir.resolve("top.restart");
    RandomMatrices.Counting crash = new RandomMatrices.Counting(a, 12);
    assertThrows(IllegalStateException.class, () -> TopEigen.resume(crash, config, file, 5));
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 1;
    Files.write(file, bytes);
    java.io.UncheckedIOException e =
        assertThrows(java.io.UncheckedIOException.class, () -> TopEigen.resume(a, config, file, 5));
    assertTrue(e.getMessage().contains("checksum"), e.getMessage());
  }

  @Test
  void isDeterministicFromTheSeed() {
    DenseMatrixOperator a = RandomMatrices.goe(120, 81);
    EigenPairs x = TopEigen.compute(a, TopEigenConfig.of(4, 82));
    EigenPairs y = TopEigen.compute(a, TopEigenConfig.of(4, 82));
    assertArrayEquals(x.eigenvalues(), y.eigenvalues());
    assertArrayEquals(x.residuals(), y.residuals());
    assertEquals(x.products(), y.products());
  }
}
