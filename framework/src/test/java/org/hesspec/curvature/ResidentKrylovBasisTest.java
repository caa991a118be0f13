package org.hesspec.curvature;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.hesspec.model.Precision;
import org.hesspec.spectral.DenseSpectrum;
import org.hesspec.spectral.EigenPairs;
import org.hesspec.spectral.EigenPairsAssertions;
import org.hesspec.spectral.RunOptions;
import org.hesspec.spectral.TopEigen;
import org.hesspec.spectral.TopEigenConfig;
import org.hesspec.spectral.TopEigenConfig.Which;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thick-restart Lanczos with its basis kept in the TensorFlow session ({@link ResidentKrylovBasis},
 * offered by the CurvatureGraph operators) against the same iteration on Java arrays (the operator
 * wrapped so that it offers no basis) and against the dense spectrum of the exact matrix, on the
 * Hessian of the tanh MLP of {@link NonlinearCurvatureTest} (p = 99, N = 24; an indefinite
 * Hessian, so both ends are real tests).
 *
 * <p>Tolerances. Both paths converge every pair to a residual below {@code tol = 1e-8 max|theta|}
 * (float64), so each eigenvalue is within {@code residual^2 / gap} of the exact one, far below
 * 1e-10 relative, unless two paths converge to different copies of a near-degenerate pair; the
 * paths differ only in summation order (TensorFlow's matmul against a Java block sum), so their
 * eigenvalues agree to 1e-10 of the largest |eigenvalue| (measured: 1.6e-15, with the same numbers
 * of products and restarts). Against the dense spectrum: 1e-6 relative (the criterion;
 * measured 2.6e-15; residuals at most 0.09 of the bound). float32: the model's products round at
 * 1e-7 and the basis arithmetic is float32, the tolerance is 1e-4 of the largest |Ritz value|, and
 * the eigenvalues must agree with the float64 dense spectrum within that bound (measured 7e-8).
 * A wrong orthogonalisation or restart transform shows as an eigenvalue off by 1e-3 or more, or as
 * an unconverged pair.
 */
class ResidentKrylovBasisTest {

  static CurvatureGraph graph(Precision precision) {
    return ResidentRecurrenceTest.graph(precision);
  }

  static BatchedData data(Precision precision) {
    return ResidentRecurrenceTest.data(precision, 10);
  }

  /** The operator with {@link LinearOperator#krylovVectors} hidden: the basis lives in Java arrays. */
  static LinearOperator arrays(LinearOperator a) {
    return ResidentRecurrenceTest.arrays(a);
  }

  /** Counts the products of the resident basis; throws after {@code limit} of them (a crash). */
  static LinearOperator crashingAfter(LinearOperator a, int limit) {
    return new LinearOperator() {
      @Override
      public int dimension() {
        return a.dimension();
      }

      @Override
      public void apply(double[] v, double[] out) {
        a.apply(v, out);
      }

      @Override
      public Optional<KrylovVectors> krylovVectors(int slots, Precision precision) {
        KrylovVectors inner = a.krylovVectors(slots, precision).orElseThrow();
        int[] products = {0};
        return Optional.of((KrylovVectors) java.lang.reflect.Proxy.newProxyInstance(
            KrylovVectors.class.getClassLoader(), new Class<?>[] {KrylovVectors.class}, (proxy, method, args) -> {
              if (method.getName().equals("product") && ++products[0] > limit) {
                throw new IllegalStateException("crash after " + limit + " products");
              }
              try {
                return method.invoke(inner, args);
              } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
              }
            }));
      }
    };
  }

  static double scale(double[] lambda) {
    return Math.max(Math.abs(lambda[0]), Math.abs(lambda[lambda.length - 1]));
  }

  /** The wanted exact eigenvalues in report order: largest descending, or smallest ascending. */
  static double[] exact(double[] ascending, TopEigenConfig config) {
    int k = config.k();
    double[] out = new double[k];
    for (int i = 0; i < k; i++) {
      out[i] = config.which() == Which.SMALLEST ? ascending[i] : ascending[ascending.length - 1 - i];
    }
    return out;
  }

  static void assertConverged(EigenPairs pairs) {
    assertEquals(EigenPairs.Stop.CONVERGED, pairs.stop());
    for (int i = 0; i < pairs.count(); i++) {
      assertTrue(pairs.converged()[i], "pair " + i + " residual " + pairs.residuals()[i] + " > " + pairs.residualBound());
      assertTrue(pairs.residuals()[i] <= pairs.residualBound());
    }
  }

  static void assertClose(double[] expected, double[] actual, double tolerance, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      assertTrue(Math.abs(expected[i] - actual[i]) <= tolerance,
          what + " rank " + i + ": " + actual[i] + " vs " + expected[i] + " (tolerance " + tolerance + ")");
    }
  }

  @Test
  void float64ResidentBasisEqualsTheJavaBasisAndTheDenseSpectrum() {
    try (CurvatureGraph g = graph(Precision.FLOAT64); BatchedData d = data(Precision.FLOAT64)) {
      LinearOperator h = g.operator(CurvatureOperator.HESSIAN, d);
      assertTrue(h.krylovVectors(5, Precision.FLOAT64).map(v -> {
        v.close();
        return true;
      }).orElse(false));
      assertTrue(h.krylovVectors(5, Precision.FLOAT32).isEmpty(), "a basis of another precision stays in Java");
      double[] lambda = DenseSpectrum.of(h, false).eigenvalues();
      double scale = scale(lambda);
      for (TopEigenConfig config : new TopEigenConfig[] {
          TopEigenConfig.of(10, Which.LARGEST, 5), TopEigenConfig.of(5, Which.SMALLEST, 6),
          // a small basis: several restarts, each a transform of the resident basis
          TopEigenConfig.of(4, Which.LARGEST, 7).withBasisSize(9)}) {
        EigenPairs resident = TopEigen.compute(h, config);
        EigenPairs java = TopEigen.compute(arrays(h), config);
        assertConverged(resident);
        assertConverged(java);
        assertTrue(resident.restarts() >= 1, config + ": restarts " + resident.restarts());
        assertClose(java.eigenvalues(), resident.eigenvalues(), 1e-10 * scale, config + " resident vs Java");
        assertClose(exact(lambda, config), resident.eigenvalues(), 1e-6 * scale, config + " resident vs dense");
        if (config.basisSize() == 9) {
          assertTrue(resident.restarts() >= 3, "restarts " + resident.restarts());
        }
      }
    }
  }

  @Test
  void residentRunsAreDeterministicAndResumeBitForBit(@TempDir Path dir) {
    try (CurvatureGraph g = graph(Precision.FLOAT64); BatchedData d = data(Precision.FLOAT64)) {
      LinearOperator h = g.operator(CurvatureOperator.HESSIAN, d);
      TopEigenConfig config = TopEigenConfig.of(3, Which.BOTH_ENDS, 11).withBasisSize(10);
      EigenPairs whole = TopEigen.compute(h, config);
      EigenPairs again = TopEigen.compute(h, config);
      assertArrayEquals(whole.eigenvalues(), again.eigenvalues());
      assertArrayEquals(whole.residuals(), again.residuals());
      assertTrue(whole.restarts() >= 2, "restarts " + whole.restarts());
      // Crash after 17 products (checkpoint every 5: the state of product 15, in the middle of the
      // second cycle), then half-way through the rest; the third attempt finishes.
      RunOptions options = RunOptions.sequential().withCheckpoints(dir, 5);
      assertThrows(IllegalStateException.class, () -> TopEigen.compute(crashingAfter(h, 17), config, options));
      assertTrue(Files.exists(dir.resolve("top-eigen.restart")));
      int rest = (int) (whole.products() - 15) / 2;
      assertThrows(IllegalStateException.class, () -> TopEigen.compute(crashingAfter(h, rest), config, options));
      EigenPairs resumed = TopEigen.compute(h, config, options);
      EigenPairsAssertions.assertIdentical(whole, resumed);
    }
  }

  @Test
  void float32ResidentBasisAgreesWithinItsTolerance(@TempDir Path dir) {
    double[] lambda;
    try (CurvatureGraph g = graph(Precision.FLOAT64); BatchedData d = data(Precision.FLOAT64)) {
      lambda = DenseSpectrum.of(g.operator(CurvatureOperator.HESSIAN, d), false).eigenvalues();
    }
    double scale = scale(lambda);
    try (CurvatureGraph g = graph(Precision.FLOAT32); BatchedData d = data(Precision.FLOAT32)) {
      LinearOperator h = g.operator(CurvatureOperator.HESSIAN, d);
      for (Which which : new Which[] {Which.LARGEST, Which.SMALLEST}) {
        TopEigenConfig config = TopEigenConfig.of(5, which, 21).withBasisSize(12)
            .withBasisPrecision(Precision.FLOAT32).withTolerance(TopEigenConfig.FLOAT32_TOLERANCE);
        EigenPairs pairs = TopEigen.compute(h, config);
        assertTrue(pairs.restarts() >= 1);
        for (int i = 0; i < pairs.count(); i++) {
          assertTrue(pairs.converged()[i] || pairs.roundingLimited(i), which + " pair " + i + ": " + pairs.residuals()[i]);
        }
        assertClose(exact(lambda, config), pairs.eigenvalues(), TopEigenConfig.FLOAT32_TOLERANCE * scale, which + " float32");
        // resume bit for bit with a float32 basis (the checkpoint holds its float32 rows)
        Path sub = dir.resolve(which.name());
        RunOptions options = RunOptions.sequential().withCheckpoints(sub, 4);
        assertThrows(IllegalStateException.class, () -> TopEigen.compute(crashingAfter(h, 15), config, options));
        EigenPairs resumed = TopEigen.compute(h, config, options);
        assertArrayEquals(pairs.eigenvalues(), resumed.eigenvalues());
        assertArrayEquals(pairs.residuals(), resumed.residuals());
        assertEquals(pairs.products(), resumed.products());
      }
    }
    assertTrue(Arrays.stream(lambda).anyMatch(x -> x < 0), "the Hessian is indefinite");
  }
}
