package org.hesspec.curvature;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.hesspec.curvature.CurvatureOperator;
import org.hesspec.curvature.NonlinearCurvatureTest.Net;
import org.hesspec.model.ModelDefinition;
import org.hesspec.model.Precision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tensorflow.Output;

/**
 * The product cache ({@link ProductCache}) computes the same products: with the cache they equal
 * those of a graph without it to rounding, for every operator, for later vectors (served from the
 * cache), over three batches, after theta changes (the cache is dropped), and equal them exactly
 * when the budget is too small to cache anything. Not bit for bit with the cache: TensorFlow's
 * graph optimiser rewrites the pruned graph differently (summation order), measured 1 ulp; the
 * bound 1e-13 relative leaves a wide margin while any real error (a stale or misplaced cached
 * tensor) shows at 1e-3 or more. Cached products are deterministic: a fresh graph's first product
 * (cache just filled) equals an old graph's later ones bit for bit, which a resumed Lanczos run needs.
 */
class ProductCacheTest {

  static final CurvatureOperator[] OPERATORS = {CurvatureOperator.HESSIAN, CurvatureOperator.GAUSS_NEWTON, CurvatureOperator.RESIDUAL_HESSIAN};

  static CurvatureGraph graph(ModelDefinition m, long cacheBytes) {
    return new CurvatureGraph(m, Loss.CROSS_ENTROPY, m.layout(), SessionSettings.defaults().withProductCacheBytes(cacheBytes));
  }

  @ParameterizedTest
  @EnumSource(Net.class)
  void cachedProductsEqualRecomputedOnes(Net net) {
    ModelDefinition m = NonlinearCurvatureTest.model(net, Precision.FLOAT64);
    try (CurvatureGraph cached = graph(m, SessionSettings.DEFAULT_PRODUCT_CACHE_BYTES);
        CurvatureGraph tiny = graph(m, 1);
        CurvatureGraph plain = graph(m, 0);
        BatchedData d = BatchedData.of(net.data(), 10, Precision.FLOAT64)) {
      int p = plain.dimension();
      for (int round = 0; round < 2; round++) {
        if (round == 1) {
          double[] theta = currentTheta(m, p);
          cached.setTheta(theta);
          tiny.setTheta(theta);
          plain.setTheta(theta);
        }
        for (CurvatureOperator product : OPERATORS) {
          for (int k = 0; k < 3; k++) {
            double[] v = NonlinearCurvatureTest.randomVector(p, 10 * round + k);
            double[] expected = plain.apply(product, v, d);
            double[] got = cached.apply(product, v, d);
            double error = CurvatureNumerics.relativeError(got, expected);
            assertTrue(error <= 1e-13, net + " " + product + " round " + round + " vector " + k + ": " + error);
            try (CurvatureGraph fresh = graph(m, SessionSettings.DEFAULT_PRODUCT_CACHE_BYTES)) {
              fresh.setTheta(round == 1 ? currentTheta(m, p) : m.theta());
              assertArrayEquals(got, fresh.apply(product, v, d), net + " " + product + ": a fresh cache gives other bits");
            }
            assertArrayEquals(expected, tiny.apply(product, v, d), net + " " + product + " (over budget)");
          }
        }
      }
    }
  }

  static double[] currentTheta(ModelDefinition m, int p) {
    return NonlinearCurvatureTest.axpy(m.theta(), 0.05, NonlinearCurvatureTest.randomVector(p, 77));
  }

  @Test
  void theFrontierHoldsTheForwardPassAndNoVariable() {
    ModelDefinition m = NonlinearCurvatureTest.model(Net.RELU_MLP, Precision.FLOAT64);
    try (CurvatureGraph g = graph(m, 0)) {
      Set<String> v = Set.copyOf(g.vectorHandles().stream().map(x -> x.op().name()).toList());
      List<Output<?>> frontier = ProductCache.frontier(g.productTargets(CurvatureOperator.HESSIAN), v);
      assertFalse(frontier.isEmpty());
      for (Output<?> o : frontier) {
        String type = o.op().type();
        assertFalse(Set.of("VariableV2", "VarHandleOp", "ReadVariableOp", "Const", "Placeholder").contains(type), o.op().name() + " " + type);
      }
      // the hidden layers' activations are v-independent inputs of the second-order part
      assertTrue(frontier.stream().anyMatch(o -> o.op().type().equals("Tanh") || o.op().type().equals("Relu")),
          frontier.stream().map(o -> o.op().type()).toList().toString());
    }
  }

  /**
   * The CNN's max-pool is differentiated through its kept argmax (MaxPoolArgmax): the Hessian's
   * graph scatters and gathers, and never rescans windows. NonlinearCurvatureTest checks these
   * derivatives against finite differences and the dense matrix.
   */
  @Test
  void maxPoolDerivativesUseTheKeptArgmax() {
    ModelDefinition m = NonlinearCurvatureTest.model(Net.CNN, Precision.FLOAT64);
    try (CurvatureGraph g = graph(m, 0)) {
      java.util.Set<String> types = new java.util.HashSet<>();
      java.util.ArrayDeque<org.tensorflow.GraphOperation> todo = new java.util.ArrayDeque<>(g.productTargets(CurvatureOperator.HESSIAN));
      java.util.Set<String> seen = new java.util.HashSet<>();
      while (!todo.isEmpty()) {
        org.tensorflow.GraphOperation op = todo.pop();
        if (seen.add(op.name())) {
          types.add(op.type());
          for (int i = 0; i < op.numInputs(); i++) {
            todo.push((org.tensorflow.GraphOperation) op.input(i).op());
          }
        }
      }
      assertTrue(types.containsAll(Set.of("MaxPoolWithArgmax", "MaxPoolGradWithArgmax", "GatherV2")), types.toString());
      assertFalse(types.stream().anyMatch(t -> t.startsWith("MaxPoolGrad") && !t.equals("MaxPoolGradWithArgmax")), types.toString());
    }
  }
}
