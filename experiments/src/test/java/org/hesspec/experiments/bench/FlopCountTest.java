package org.hesspec.experiments.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.hesspec.curvature.BatchedData;
import org.hesspec.curvature.CurvatureGraph;
import org.hesspec.curvature.CurvatureOperator;
import org.hesspec.curvature.Loss;
import org.hesspec.curvature.SessionSettings;
import org.hesspec.model.ModelDefinition;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class FlopCountTest {

  private static Placeholder<TFloat32> in(Ops tf, long... shape) {
    return tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(shape)));
  }

  private static List<GraphOperation> opsOf(Output<?>[] outs) {
    List<GraphOperation> ops = new ArrayList<>();
    for (Output<?> o : outs) {
      ops.add((GraphOperation) o.op());
    }
    return ops;
  }

  /**
   * x [n,3] -> matmul W1 [3,4] -> relu -> matmul W2 [4,2] -> sum; gradient w.r.t. W1, W2. By hand:
   * forward 2n*3*4 + 2n*4*2 = 40n; backward dA = dZ2 W2^T 2n*2*4 = 16n, dW2 = A^T dZ2 2*4*n*2 =
   * 16n, dW1 = x^T dZ1 2*3*n*4 = 24n; dx = dZ1 W1^T is not needed and not counted. 96n, 5 ops.
   */
  @Test
  void tinyMlpGradientByHand() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      var x = in(tf, -1, 3);
      var w1 = in(tf, 3, 4);
      var w2 = in(tf, 4, 2);
      Operand<TFloat32> z = tf.linalg.matMul(tf.nn.relu(tf.linalg.matMul(x, w1)), w2);
      var loss = tf.reduceSum(z, tf.constant(new int[] {0, 1}));
      Output<?>[] grads = g.addGradients(loss.asOutput(), new Output<?>[] {w1.asOutput(), w2.asOutput()});
      FlopCount.Count forward = FlopCount.of(List.of((GraphOperation) loss.op()), 7);
      assertEquals(40 * 7, forward.flops());
      assertEquals(2, forward.ops());
      FlopCount.Count c = FlopCount.of(opsOf(grads), 7);
      assertEquals(96 * 7, c.flops());
      assertEquals(5, c.ops());
      assertTrue(c.unresolved().isEmpty(), c.unresolved().toString());
    }
  }

  /** transpose_a: A^T B with A [5,3], B [5,4]: k = 5, out [3,4], 2*3*4*5 = 120. */
  @Test
  void transposedMatmul() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      var a = in(tf, 5, 3);
      var b = in(tf, 5, 4);
      var c = tf.linalg.matMul(a, b, org.tensorflow.op.linalg.MatMul.transposeA(true));
      assertEquals(120, FlopCount.of(List.of((GraphOperation) c.op()), 1).flops());
    }
  }

  /**
   * x [n,4,4,1] -> conv 3x3 1->2 (SAME) -> relu -> conv 3x3 2->3 -> sum; gradient w.r.t. both
   * filters. Each conv (and each backward conv) does 2 * output elements * kh*kw*Cin:
   * conv1 2*16n*2*9 = 576n, conv2 2*16n*3*18 = 1728n; backward: filter2 1728n, input of conv2 1728n,
   * filter1 576n (the input gradient of conv1 is not needed). 6336n.
   */
  @Test
  void tinyCnnGradientByHand() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      var x = in(tf, -1, 4, 4, 1);
      var f1 = in(tf, 3, 3, 1, 2);
      var f2 = in(tf, 3, 3, 2, 3);
      List<Long> strides = List.of(1L, 1L, 1L, 1L);
      Operand<TFloat32> a = tf.nn.relu(tf.nn.conv2d(x, f1, strides, "SAME"));
      var loss = tf.reduceSum(tf.nn.conv2d(a, f2, strides, "SAME"), tf.constant(new int[] {0, 1, 2, 3}));
      Output<?>[] grads = g.addGradients(loss.asOutput(), new Output<?>[] {f1.asOutput(), f2.asOutput()});
      FlopCount.Count c = FlopCount.of(opsOf(grads), 3);
      assertTrue(c.unresolved().isEmpty(), c.unresolved().toString());
      assertEquals(6336 * 3, c.flops());
      assertEquals(5, c.ops());
    }
  }

  /**
   * The real product graph of mlp-small (784-256-256-10), through CurvatureGraph: a gradient is
   * the forward pass (2n(784*256 + 256*256 + 256*10)) plus twice that backward, less the unneeded
   * input gradient of the first layer (2n*784*256).
   */
  @Test
  void mlpSmallGradientFromCurvatureGraph() {
    BenchWorkload w = BenchWorkload.named("mlp-small");
    ModelDefinition model = w.model();
    try (CurvatureGraph g = new CurvatureGraph(model, Loss.CROSS_ENTROPY, model.layout(), new SessionSettings(1, 1));
        BatchedData data = BatchedData.of(w.data(), w.examples(), model.precision())) {
      g.gradient(data);
      double n = w.examples();
      double forward = 2 * n * (784 * 256 + 256 * 256 + 256 * 10);
      FlopCount.Count c = FlopCount.of(g.gradientTargets(), java.util.Set.of(), w.examples());
      assertTrue(c.unresolved().isEmpty(), c.unresolved().toString());
      assertEquals(3 * forward - 2 * n * 784 * 256, c.flops());
      assertEquals(8, c.ops());
    }
  }

  /**
   * Hess v of mlp-small, reverse over reverse, per layer with a = 2n * in * out: the first layer
   * runs its forward matmul, x V and x^T ddy (3a); every other layer also its input gradient and
   * the four matmuls of differentiating it (8a). With the product cache, the forward pass and the
   * gradient's input gradients are fed, not run: 2a for the first layer, 6a for the others.
   */
  @Test
  void mlpSmallHessianWithAndWithoutTheProductCache() {
    BenchWorkload w = BenchWorkload.named("mlp-small");
    ModelDefinition model = w.model();
    double n = w.examples();
    double a1 = 2 * n * 784 * 256;
    double a2 = 2 * n * 256 * 256;
    double a3 = 2 * n * 256 * 10;
    double[] v = new double[Math.toIntExact(model.layout().dimension())];
    v[0] = 1;
    for (long budget : new long[] {0, SessionSettings.DEFAULT_PRODUCT_CACHE_BYTES}) {
      try (CurvatureGraph g = new CurvatureGraph(model, Loss.CROSS_ENTROPY, model.layout(), new SessionSettings(1, 1, budget));
          BatchedData data = BatchedData.of(w.data(), w.examples(), model.precision())) {
        g.apply(CurvatureOperator.HESSIAN, v, data);
        FlopCount.Count c = FlopCount.of(g, CurvatureOperator.HESSIAN, data, w.examples());
        assertTrue(c.unresolved().isEmpty(), c.unresolved().toString());
        if (budget == 0) {
          assertEquals(3 * a1 + 8 * a2 + 8 * a3, c.flops());
        } else {
          assertEquals(2 * a1 + 6 * a2 + 6 * a3, c.flops());
        }
      }
    }
  }
}
