package org.hesspec.model.grad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.DataType;

/**
 * For each op a network uses: the Hessian-vector product built by two {@code addGradients} calls
 * equals central finite differences of the graph's own gradient, in float64.
 *
 * <p>Tolerance 1e-6 relative (||Hv - FD|| / ||FD||): with step eps = 1e-4 the central difference
 * has truncation error eps^2/6 * |third derivative| relative to the HVP, ~1e-9..1e-8 for these
 * O(1)-scaled functions (observed: 6e-13 to 3e-8), and rounding error ~ 1e-16 * |g| / eps ~ 1e-12;
 * a wrong formula (a factor 1.05 on one term, a dropped term) gives errors of 1e-2 or more. For piecewise-smooth ops (ReLU, max pool, Maximum, ELU) the point
 * and step are chosen so that no kink is crossed, and the number of flips is counted and asserted
 * zero: across a kink the difference quotient is meaningless.
 */
class OpHvpTest {

  static final double EPS = 1e-4;
  static final double TOL = 1e-6;

  /** Builds x [4,3] (constant) times W [3,3] (the parameters, p = 9). */
  static Output<?> affine(HvpFixture f, Ops tf) {
    return RawOps.op(tf, "MatMul", f.randomConstant(1, 1.0, 4, 3), f.param(0, 3, 3));
  }

  static Output<?> sum(Ops tf, Output<?> x) {
    Output<?> rank = RawOps.op(tf, "Rank", x);
    Output<?> axes = RawOps.op(tf, "Range", tf.constant(0).asOutput(), rank, tf.constant(1).asOutput());
    return RawOps.op(tf, "Sum", x, axes);
  }

  /** Asserts Hv == FD at a seeded random point along a seeded random direction. */
  static void assertHvpMatchesFiniteDifferences(HvpFixture f, long seed, double thetaScale) {
    double[] th = HvpFixture.random(seed, f.p, thetaScale);
    double[] v = HvpFixture.random(seed + 1, f.p, 1.0);
    double[] hv = f.hvp(th, v);
    double[] fd = f.finiteDifferenceHvp(th, v, EPS);
    assertTrue(HvpFixture.norm(fd) > 1e-3, "degenerate test: Hessian along v is ~0");
    double err = HvpFixture.relativeError(hv, fd);
    assertTrue(err < TOL, "relative error " + err);
  }

  private static void check(int p, HvpFixture.LossBuilder b) {
    try (HvpFixture f = new HvpFixture(p, DataType.DT_DOUBLE, b)) {
      assertHvpMatchesFiniteDifferences(f, 11, 0.5);
    }
  }

  private static Output<?> c(HvpFixture f, long... shape) {
    return f.randomConstant(2, 1.0, shape);
  }

  /** sum(c * act(x W)) for an elementwise op type. */
  private static void checkElementwise(String opType) {
    check(9, (f, tf) -> sum(tf, RawOps.mul(tf, c(f, 4, 3), RawOps.op(tf, opType, affine(f, tf)))));
  }

  @Test
  void tanh() {
    checkElementwise("Tanh");
  }

  @Test
  void sigmoid() {
    checkElementwise("Sigmoid");
  }

  @Test
  void softplus() {
    checkElementwise("Softplus");
  }

  @Test
  void softmaxAndLogSoftmax() {
    checkElementwise("Softmax");
    checkElementwise("LogSoftmax");
  }

  @Test
  void exp() {
    checkElementwise("Exp");
  }

  /** Sqrt, Rsqrt, Reciprocal of 1 + z^2 (kept away from 0, where they are singular). */
  @Test
  void sqrtRsqrtReciprocal() {
    for (String opType : new String[] {"Sqrt", "Rsqrt", "Reciprocal"}) {
      check(
          9,
          (f, tf) -> {
            Output<?> z = affine(f, tf);
            Output<?> pos =
                RawOps.op(tf, "AddV2", RawOps.op(tf, "Square", z), RawOps.scalar(tf, 1.0, f.dtype));
            return sum(tf, RawOps.mul(tf, c(f, 4, 3), RawOps.op(tf, opType, pos)));
          });
    }
  }

  /** Softsign (kink of |x| at 0) and SELU (kink at 0): no pre-activation may change sign. */
  @Test
  void softsignAndSelu() {
    for (String opType : new String[] {"Softsign", "Selu"}) {
      Output<?>[] pre = new Output<?>[1];
      try (HvpFixture f =
          new HvpFixture(
              9,
              DataType.DT_DOUBLE,
              (g, tf) -> {
                pre[0] = affine(g, tf);
                return sum(tf, RawOps.mul(tf, c(g, 4, 3), RawOps.op(tf, opType, pre[0])));
              })) {
        assertEquals(0, Flips.signFlips(f, pre[0], 11, 0.5, EPS));
        assertHvpMatchesFiniteDifferences(f, 11, 0.5);
      }
    }
  }

  /** ELU: second derivative exp(z) for z < 0, 0 for z > 0; no z may change sign. */
  @Test
  void elu() {
    Output<?>[] pre = new Output<?>[1];
    try (HvpFixture f =
        new HvpFixture(
            9,
            DataType.DT_DOUBLE,
            (g, tf) -> {
              pre[0] = affine(g, tf);
              return sum(tf, RawOps.mul(tf, c(g, 4, 3), RawOps.op(tf, "Elu", pre[0])));
            })) {
      assertEquals(0, Flips.signFlips(f, pre[0], 11, 0.5, EPS));
      assertHvpMatchesFiniteDifferences(f, 11, 0.5);
    }
  }

  /**
   * sum(c * relu(x W)^2): Hessian 2 sum c 1[z > 0] x x^T, so ReluGrad's gradient in g matters. The
   * same for Relu6 (kinks at 0 and 6: neither may be crossed).
   */
  @Test
  void reluAndRelu6() {
    for (String opType : new String[] {"Relu", "Relu6"}) {
      Output<?>[] pre = new Output<?>[2];
      try (HvpFixture f =
          new HvpFixture(
              9,
              DataType.DT_DOUBLE,
              (g, tf) -> {
                pre[0] = affine(g, tf);
                pre[1] = RawOps.op(tf, "Sub", pre[0], RawOps.scalar(tf, 6.0, g.dtype));
                Output<?> r = RawOps.op(tf, opType, pre[0]);
                return sum(tf, RawOps.mul(tf, c(g, 4, 3), RawOps.op(tf, "Square", r)));
              })) {
        assertEquals(0, Flips.signFlips(f, pre[0], 11, 0.5, EPS));
        assertEquals(0, Flips.signFlips(f, pre[1], 11, 0.5, EPS));
        assertHvpMatchesFiniteDifferences(f, 11, 0.5);
      }
    }
  }

  /** sum(c * tanh(BiasAdd(x W, b))), NHWC (channels last), p = 9 + 3. */
  @Test
  void biasAddChannelsLast() {
    check(
        12,
        (f, tf) -> {
          Output<?> z = RawOps.op(tf, "BiasAdd", affine(f, tf), f.param(9, 3));
          return sum(tf, RawOps.mul(tf, c(f, 4, 3), RawOps.op(tf, "Tanh", z)));
        });
  }

  /** BiasAdd in NCHW on a 4-d tensor: the bias broadcasts along axis 1. p = 18 + 2. */
  @Test
  void biasAddChannelsFirst() {
    check(
        20,
        (f, tf) -> {
          Output<?> a = RawOps.op(tf, "Tanh", f.param(0, 1, 2, 3, 3));
          Output<?> z =
              RawOps.builder(tf, "BiasAdd", a, f.param(18, 2))
                  .setAttr("data_format", "NCHW")
                  .build()
                  .output(0);
          return sum(tf, RawOps.mul(tf, c(f, 1, 2, 3, 3), RawOps.op(tf, "Tanh", z)));
        });
  }

  static Output<?> conv(Ops tf, Output<?> x, Output<?> w, int stride, String padding) {
    return RawOps.builder(tf, "Conv2D", x, w)
        .setAttr("strides", new long[] {1, stride, stride, 1})
        .setAttr("padding", padding)
        .build()
        .output(0);
  }

  /**
   * Two convolutions with tanh between them, so that the Hessian needs the gradients of both
   * Conv2DBackpropFilter and Conv2DBackpropInput. x [1,5,5,1]; W1 [2,2,1,2]; W2 [2,2,2,2]; the
   * second convolution also with stride 2 and SAME padding. p = 8 + 16.
   */
  @Test
  void conv2d() {
    for (String padding : new String[] {"VALID", "SAME"}) {
      int stride = padding.equals("SAME") ? 2 : 1;
      check(
          24,
          (f, tf) -> {
            Output<?> h =
                RawOps.op(
                    tf, "Tanh", conv(tf, f.randomConstant(3, 1, 1, 5, 5, 1), f.param(0, 2, 2, 1, 2), 1, "VALID"));
            Output<?> z = conv(tf, h, f.param(8, 2, 2, 2, 2), stride, padding);
            long side = stride == 1 ? 3 : 2;
            return sum(tf, RawOps.mul(tf, c(f, 1, side, side, 2), RawOps.op(tf, "Tanh", z)));
          });
    }
  }

  /**
   * Max pooling of a convolution, both op versions: MaxPool (V1, attribute windows, what Python
   * exports) and MaxPoolV2 (tensor windows, what TF Java's tf.nn.maxPool builds). z = conv(x, W)
   * [1,4,4,2], 2x2 windows, stride 2; loss sum(c * tanh(maxpool(z))). No window's argmax may change
   * between theta - eps v and theta + eps v.
   */
  @Test
  void maxPool() {
    for (boolean v2 : new boolean[] {false, true}) {
      Output<?>[] pre = new Output<?>[1];
      try (HvpFixture f =
          new HvpFixture(
              8,
              DataType.DT_DOUBLE,
              (g, tf) -> {
                pre[0] = conv(tf, g.randomConstant(3, 1, 1, 5, 5, 1), g.param(0, 2, 2, 1, 2), 1, "VALID");
                Output<?> m = maxPool(tf, pre[0], v2);
                return sum(tf, RawOps.mul(tf, c(g, 1, 2, 2, 2), RawOps.op(tf, "Tanh", m)));
              })) {
        assertEquals(0, Flips.maxPoolArgmaxFlips(f, pre[0], 4, 4, 2, 2, 11, 0.5, EPS));
        assertHvpMatchesFiniteDifferences(f, 11, 0.5);
      }
    }
  }

  static Output<?> maxPool(Ops tf, Output<?> z, boolean v2) {
    long[] window = {1, 2, 2, 1};
    if (v2) {
      return RawOps.builder(
              tf,
              "MaxPoolV2",
              z,
              tf.constant(new int[] {1, 2, 2, 1}).asOutput(),
              tf.constant(new int[] {1, 2, 2, 1}).asOutput())
          .setAttr("padding", "VALID")
          .build()
          .output(0);
    }
    return RawOps.builder(tf, "MaxPool", z)
        .setAttr("ksize", window)
        .setAttr("strides", window)
        .setAttr("padding", "VALID")
        .build()
        .output(0);
  }

  static Output<?> avgPool(Ops tf, Output<?> z) {
    long[] window = {1, 2, 2, 1};
    return RawOps.builder(tf, "AvgPool", z)
        .setAttr("ksize", window)
        .setAttr("strides", window)
        .setAttr("padding", "VALID")
        .build()
        .output(0);
  }

  /** sum(c * tanh(avgpool(tanh(conv(x, W))))): AvgPoolGrad's gradient in its upstream. */
  @Test
  void avgPool() {
    check(
        8,
        (f, tf) -> {
          Output<?> z = conv(tf, f.randomConstant(3, 1, 1, 5, 5, 1), f.param(0, 2, 2, 1, 2), 1, "VALID");
          Output<?> a = avgPool(tf, RawOps.op(tf, "Tanh", z));
          return sum(tf, RawOps.mul(tf, c(f, 1, 2, 2, 2), RawOps.op(tf, "Tanh", a)));
        });
  }

  /** mean over the batch of SparseSoftmaxCrossEntropyWithLogits(x W, y). */
  @Test
  void sparseSoftmaxCrossEntropy() {
    check(
        9,
        (f, tf) -> {
          Output<?> labels = tf.constant(new long[] {0, 2, 1, 2}).asOutput();
          Output<?> l =
              RawOps.builder(tf, "SparseSoftmaxCrossEntropyWithLogits", affine(f, tf), labels)
                  .build()
                  .output(0);
          return RawOps.op(tf, "Mean", l, tf.constant(0).asOutput());
        });
  }

  /** log(z^2 + 1): Square, AddV2, Log. */
  @Test
  void logSquareAdd() {
    check(
        9,
        (f, tf) -> {
          Output<?> z = affine(f, tf);
          Output<?> one = RawOps.scalar(tf, 1.0, f.dtype);
          Output<?> l = RawOps.op(tf, "Log", RawOps.op(tf, "AddV2", RawOps.op(tf, "Square", z), one));
          return sum(tf, RawOps.mul(tf, c(f, 4, 3), l));
        });
  }

  /** tanh(SquaredDifference(z, t)) and tanh(Sub(Neg(z), t)), summed with weights. */
  @Test
  void squaredDifferenceSubNeg() {
    check(
        9,
        (f, tf) -> {
          Output<?> z = affine(f, tf);
          Output<?> t = f.randomConstant(5, 1, 4, 3);
          Output<?> a = RawOps.op(tf, "Tanh", RawOps.op(tf, "SquaredDifference", z, t));
          Output<?> b = RawOps.op(tf, "Tanh", RawOps.op(tf, "Sub", RawOps.op(tf, "Neg", z), t));
          return sum(tf, RawOps.mul(tf, c(f, 4, 3), RawOps.op(tf, "AddV2", a, RawOps.mul(tf, a, b))));
        });
  }

  /** sum(c * Maximum(z, t)^2); no z may cross its t. */
  @Test
  void maximum() {
    Output<?>[] diff = new Output<?>[1];
    try (HvpFixture f =
        new HvpFixture(
            9,
            DataType.DT_DOUBLE,
            (g, tf) -> {
              Output<?> z = affine(g, tf);
              Output<?> t = g.randomConstant(5, 1, 4, 3);
              diff[0] = RawOps.op(tf, "Sub", z, t);
              Output<?> m = RawOps.op(tf, "Maximum", z, t);
              return sum(tf, RawOps.mul(tf, c(g, 4, 3), RawOps.op(tf, "Square", m)));
            })) {
      assertEquals(0, Flips.signFlips(f, diff[0], 11, 0.5, EPS));
      assertHvpMatchesFiniteDifferences(f, 11, 0.5);
    }
  }

  /**
   * Identity, Cast (float64 to float64), Mean, and a StopGradient side branch, which contributes
   * to the loss but to neither derivative (the finite differences are of the graph's gradient, so
   * they agree with that).
   */
  @Test
  void identityCastMeanStopGradient() {
    check(
        9,
        (f, tf) -> {
          Output<?> z = RawOps.cast(tf, RawOps.op(tf, "Identity", affine(f, tf)), DataType.DT_DOUBLE);
          Output<?> main =
              RawOps.op(
                  tf,
                  "Mean",
                  RawOps.mul(tf, c(f, 4, 3), RawOps.op(tf, "Tanh", z)),
                  tf.constant(new int[] {0, 1}).asOutput());
          Output<?> side = sum(tf, RawOps.op(tf, "Square", RawOps.op(tf, "StopGradient", z)));
          return RawOps.op(tf, "AddV2", main, side);
        });
  }

  /** Pad, ConcatV2 and Slice around a tanh (Slice and Reshape also carve theta in every test). */
  @Test
  void padConcatSlice() {
    check(
        9,
        (f, tf) -> {
          Output<?> u = RawOps.op(tf, "Tanh", affine(f, tf));
          Output<?> paddings = tf.constant(new int[][] {{1, 0}, {0, 1}}).asOutput();
          Output<?> a = RawOps.op(tf, "Pad", u, paddings);
          Output<?> b = RawOps.op(tf, "Pad", RawOps.mul(tf, u, u), paddings);
          Output<?> cat =
              RawOps.builder(tf, "ConcatV2")
                  .addInputList(new Output<?>[] {a, b})
                  .addInput(tf.constant(0).asOutput())
                  .build()
                  .output(0);
          Output<?> s =
              RawOps.op(
                  tf,
                  "Slice",
                  cat,
                  tf.constant(new int[] {1, 0}).asOutput(),
                  tf.constant(new int[] {8, 4}).asOutput());
          return sum(tf, RawOps.mul(tf, f.randomConstant(6, 1, 8, 4), RawOps.op(tf, "Tanh", s)));
        });
  }
}
