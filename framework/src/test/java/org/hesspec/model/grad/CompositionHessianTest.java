package org.hesspec.model.grad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hesspec.model.OutputKind;
import org.junit.jupiter.api.Test;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.DataType;

/**
 * Dense Hessians of small networks, built column by column from HVPs, in float64.
 *
 * <p>Symmetry tolerance 1e-10 relative to the largest entry: column j and row j come from different
 * reverse passes (H[a,b] is d/db of grad_a, H[b,a] is d/da of grad_b, through different gradient
 * ops), so they agree only if every second derivative on both routes is right; rounding alone
 * leaves asymmetries near 1e-16 relative. Each network is also checked against finite differences
 * of its gradient ({@link OpHvpTest} tolerance), since a symmetric error (a dropped curvature term)
 * would keep the matrix symmetric.
 */
class CompositionHessianTest {

  static final long[] LABELS = {0, 2, 1, 2, 1};

  /** x [5,4]; h = tanh(x W1 + b1) (broadcast AddV2); z = h W2 + b2; mean cross-entropy. p = 27. */
  static Output<?> mlpTanh(HvpFixture f, Ops tf) {
    Output<?> x = f.randomConstant(1, 1, 5, 4);
    Output<?> h =
        RawOps.op(
            tf, "Tanh", RawOps.op(tf, "AddV2", RawOps.op(tf, "MatMul", x, f.param(0, 4, 3)), f.param(12, 3)));
    Output<?> z = RawOps.op(tf, "AddV2", RawOps.op(tf, "MatMul", h, f.param(15, 3, 3)), f.param(24, 3));
    return Losses.mean(tf, Losses.crossEntropy(tf, z, OutputKind.LOGITS, tf.constant(LABELS)));
  }

  /** h = relu(BiasAdd(x W1, b1)); z = BiasAdd(h W2, b2); mean fused sparse softmax CE. p = 27. */
  static Output<?> mlpRelu(HvpFixture f, Ops tf, Output<?>[] pre) {
    Output<?> x = f.randomConstant(1, 1, 5, 4);
    pre[0] = RawOps.op(tf, "BiasAdd", RawOps.op(tf, "MatMul", x, f.param(0, 4, 3)), f.param(12, 3));
    Output<?> h = RawOps.op(tf, "Relu", pre[0]);
    Output<?> z = RawOps.op(tf, "BiasAdd", RawOps.op(tf, "MatMul", h, f.param(15, 3, 3)), f.param(24, 3));
    Output<?> l =
        RawOps.builder(tf, "SparseSoftmaxCrossEntropyWithLogits", z, tf.constant(LABELS).asOutput())
            .build()
            .output(0);
    return Losses.mean(tf, l);
  }

  /**
   * x [2,6,6,1]; conv 3x3 SAME (W1 [3,3,1,2]) + bias, tanh, 2x2 max pool (MaxPool V1) to
   * [2,3,3,2]; conv 2x2 VALID (W2 [2,2,2,2]) to [2,2,2,2], softplus, 2x2 avg pool to [2,1,1,2];
   * reshape to logits [2,2] + bias (BiasAdd); mean cross-entropy. p = 18 + 2 + 16 + 2 = 38.
   */
  static Output<?> convNet(HvpFixture f, Ops tf) {
    Output<?> x = f.randomConstant(3, 1, 2, 6, 6, 1);
    Output<?> c1 =
        RawOps.op(tf, "BiasAdd", OpHvpTest.conv(tf, x, f.param(0, 3, 3, 1, 2), 1, "SAME"), f.param(18, 2));
    Output<?> m = OpHvpTest.maxPool(tf, RawOps.op(tf, "Tanh", c1), false);
    Output<?> c2 = RawOps.op(tf, "Softplus", OpHvpTest.conv(tf, m, f.param(20, 2, 2, 2, 2), 1, "VALID"));
    Output<?> a = OpHvpTest.avgPool(tf, c2);
    Output<?> z =
        RawOps.op(
            tf,
            "BiasAdd",
            RawOps.op(tf, "Reshape", a, tf.constant(new int[] {2, 2}).asOutput()),
            f.param(36, 2));
    return Losses.mean(tf, Losses.crossEntropy(tf, z, OutputKind.LOGITS, tf.constant(new long[] {1, 0})));
  }

  static void assertSymmetric(double[][] h) {
    double max = 0;
    double asym = 0;
    for (int i = 0; i < h.length; i++) {
      for (int j = 0; j < h.length; j++) {
        max = Math.max(max, Math.abs(h[i][j]));
        asym = Math.max(asym, Math.abs(h[i][j] - h[j][i]));
      }
    }
    assertTrue(max > 1e-3, "degenerate Hessian");
    assertTrue(asym <= 1e-10 * max, "asymmetry " + asym + " of max entry " + max);
  }

  private static void check(int p, HvpFixture.LossBuilder b) {
    try (HvpFixture f = new HvpFixture(p, DataType.DT_DOUBLE, b)) {
      assertSymmetric(f.denseHessian(HvpFixture.random(11, p, 0.5)));
      OpHvpTest.assertHvpMatchesFiniteDifferences(f, 11, 0.5);
    }
  }

  @Test
  void mlpWithTanh() {
    check(27, CompositionHessianTest::mlpTanh);
  }

  @Test
  void mlpWithReluBiasAndSparseSoftmaxCrossEntropy() {
    Output<?>[] pre = new Output<?>[1];
    try (HvpFixture f = new HvpFixture(27, DataType.DT_DOUBLE, (g, tf) -> mlpRelu(g, tf, pre))) {
      assertSymmetric(f.denseHessian(HvpFixture.random(11, 27, 0.5)));
      assertEquals(0, Flips.signFlips(f, pre[0], 11, 0.5, OpHvpTest.EPS));
      OpHvpTest.assertHvpMatchesFiniteDifferences(f, 11, 0.5);
    }
  }

  @Test
  void convMaxPoolAvgPoolBias() {
    check(38, CompositionHessianTest::convNet);
  }

  /**
   * The fused SparseSoftmaxCrossEntropyWithLogits (Java gradient) and {@link Losses#crossEntropy}
   * (LogSoftmax, C++ gradients) give the same dense Hessian of a linear softmax model, to 1e-12
   * absolute on entries of order 0.1: two independent routes to one matrix.
   */
  @Test
  void sparseSoftmaxCrossEntropyHessianEqualsLogSoftmaxRoute() {
    double[] th = HvpFixture.random(11, 12, 0.5);
    double[][] fused;
    double[][] composed;
    try (HvpFixture f =
        new HvpFixture(
            12,
            DataType.DT_DOUBLE,
            (g, tf) -> {
              Output<?> z = RawOps.op(tf, "MatMul", g.randomConstant(1, 1, 5, 4), g.param(0, 4, 3));
              Output<?> l =
                  RawOps.builder(tf, "SparseSoftmaxCrossEntropyWithLogits", z, tf.constant(LABELS).asOutput())
                      .build()
                      .output(0);
              return Losses.mean(tf, l);
            })) {
      fused = f.denseHessian(th);
      assertSymmetric(fused);
    }
    try (HvpFixture f =
        new HvpFixture(
            12,
            DataType.DT_DOUBLE,
            (g, tf) -> {
              Output<?> z = RawOps.op(tf, "MatMul", g.randomConstant(1, 1, 5, 4), g.param(0, 4, 3));
              return Losses.mean(tf, Losses.crossEntropy(tf, z, OutputKind.LOGITS, tf.constant(LABELS)));
            })) {
      composed = f.denseHessian(th);
    }
    for (int i = 0; i < 12; i++) {
      for (int j = 0; j < 12; j++) {
        assertEquals(composed[i][j], fused[i][j], 1e-12);
      }
    }
  }
}
