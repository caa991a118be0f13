package org.hesspec.model.grad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Iterator;
import org.hesspec.model.OutputKind;
import org.junit.jupiter.api.Test;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.DataType;

/**
 * Loss values against formulas evaluated in Java, Hessians against closed forms, and HVPs of the
 * losses against finite differences, all in float64.
 */
class LossesTest {

  static final long[] LABELS = {0, 2, 1, 2};
  static final double[] WEIGHTS = {0.1, 0.4, 0.2, 0.3};

  /** Logits x W, x [4,3] fixed, W [3,3] = theta. */
  static Output<?> logits(HvpFixture f, Ops tf) {
    return OpHvpTest.affine(f, tf);
  }

  /** The model output of the given kind, all three describing the same distribution softmax(xW). */
  static Output<?> output(HvpFixture f, Ops tf, OutputKind kind) {
    Output<?> z = logits(f, tf);
    switch (kind) {
      case PROBABILITIES:
        return RawOps.op(tf, "Softmax", z);
      case LOG_PROBABILITIES:
        return RawOps.op(tf, "LogSoftmax", z);
      default:
        return z;
    }
  }

  static Output<?> weights(HvpFixture f) {
    return f.constant(WEIGHTS, 4);
  }

  /** sum_i w_i (logsumexp(z_i) - z_{i, y_i}) computed in Java from the graph's logits. */
  static double expectedWeightedCrossEntropy(double[] z) {
    double total = 0;
    for (int i = 0; i < 4; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < 3; c++) {
        max = Math.max(max, z[3 * i + c]);
      }
      double s = 0;
      for (int c = 0; c < 3; c++) {
        s += Math.exp(z[3 * i + c] - max);
      }
      total += WEIGHTS[i] * (max + Math.log(s) - z[3 * i + (int) LABELS[i]]);
    }
    return total;
  }

  /**
   * The weighted cross-entropy of each output kind equals the Java formula (tolerance 1e-12
   * relative: a handful of float64 operations on O(1) numbers), and its HVP matches finite
   * differences (tolerance and step as in {@link OpHvpTest}).
   */
  @Test
  void crossEntropyOfEveryOutputKind() {
    for (OutputKind kind : OutputKind.values()) {
      Output<?>[] z = new Output<?>[1];
      try (HvpFixture f =
          new HvpFixture(
              9,
              DataType.DT_DOUBLE,
              (g, tf) -> {
                z[0] = logits(g, tf);
                Output<?> l =
                    Losses.crossEntropy(tf, output(g, tf, kind), kind, tf.constant(LABELS));
                return Losses.weightedSum(tf, l, weights(g));
              })) {
        double[] th = HvpFixture.random(11, 9, 0.5);
        double expected = expectedWeightedCrossEntropy(f.eval(z[0], th));
        double actual = f.eval(f.loss, th)[0];
        assertEquals(expected, actual, 1e-12 * Math.abs(expected), kind.toString());
        OpHvpTest.assertHvpMatchesFiniteDifferences(f, 11, 0.5);
        assertFalse(hasOpType(f, "SoftmaxCrossEntropyWithLogits"), "fused op used");
      }
    }
  }

  /**
   * With the logits themselves as parameters (one example), the Hessian of the cross-entropy is
   * diag(p) - p p^T exactly; tolerance 1e-12 absolute on entries below 1.
   */
  @Test
  void crossEntropyHessianIsSoftmaxCovariance() {
    try (HvpFixture f =
        new HvpFixture(
            4,
            DataType.DT_DOUBLE,
            (g, tf) -> {
              Output<?> l =
                  Losses.crossEntropy(
                      tf, g.param(0, 1, 4), OutputKind.LOGITS, tf.constant(new int[] {2}));
              return Losses.mean(tf, l);
            })) {
      double[] z = {0.3, -1.2, 0.8, 0.1};
      double[][] h = f.denseHessian(z);
      double[] p = softmax(z);
      for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 4; j++) {
          double expected = (i == j ? p[i] : 0) - p[i] * p[j];
          assertEquals(expected, h[i][j], 1e-12);
        }
      }
    }
  }

  /**
   * 1/2 ||x W - t||^2 summed over examples has Hessian sum_b x_bi x_bk delta_jl w.r.t. W_ij, W_kl
   * (no factor 2: the 1/2 convention); tolerance 1e-12 absolute on entries of order 1.
   */
  @Test
  void halfSquaredErrorHessianIsGram() {
    double[] x = HvpFixture.random(1, 12, 1.0); // as in OpHvpTest.affine
    try (HvpFixture f =
        new HvpFixture(
            9,
            DataType.DT_DOUBLE,
            (g, tf) -> {
              Output<?> l = Losses.halfSquaredError(tf, logits(g, tf), g.randomConstant(5, 1, 4, 3));
              return Losses.weightedSum(tf, l, g.constant(new double[] {1, 1, 1, 1}, 4));
            })) {
      double[][] h = f.denseHessian(HvpFixture.random(11, 9, 0.5));
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
          for (int k = 0; k < 3; k++) {
            for (int l = 0; l < 3; l++) {
              double expected = 0;
              if (j == l) {
                for (int b = 0; b < 4; b++) {
                  expected += x[3 * b + i] * x[3 * b + k];
                }
              }
              assertEquals(expected, h[3 * i + j][3 * k + l], 1e-12);
            }
          }
        }
      }
    }
  }

  /** Squared error to one-hot labels through a tanh: value and HVP vs finite differences. */
  @Test
  void halfSquaredErrorToOneHotValueAndHvp() {
    Output<?>[] out = new Output<?>[1];
    try (HvpFixture f =
        new HvpFixture(
            9,
            DataType.DT_DOUBLE,
            (g, tf) -> {
              out[0] = RawOps.op(tf, "Tanh", logits(g, tf));
              return Losses.mean(tf, Losses.halfSquaredErrorToOneHot(tf, out[0], tf.constant(LABELS)));
            })) {
      double[] th = HvpFixture.random(11, 9, 0.5);
      double[] y = f.eval(out[0], th);
      double expected = 0;
      for (int i = 0; i < 4; i++) {
        for (int c = 0; c < 3; c++) {
          double t = c == LABELS[i] ? 1 : 0;
          expected += 0.5 * (y[3 * i + c] - t) * (y[3 * i + c] - t) / 4;
        }
      }
      assertEquals(expected, f.eval(f.loss, th)[0], 1e-12 * expected);
      OpHvpTest.assertHvpMatchesFiniteDifferences(f, 11, 0.5);
    }
  }

  /** Weighted sum with weights 1/B equals the batch mean (1e-14: two roundings). */
  @Test
  void weightedSumWithUniformWeightsIsMean() {
    Output<?>[] mean = new Output<?>[1];
    try (HvpFixture f =
        new HvpFixture(
            9,
            DataType.DT_DOUBLE,
            (g, tf) -> {
              Output<?> l = Losses.crossEntropy(tf, logits(g, tf), OutputKind.LOGITS, tf.constant(LABELS));
              mean[0] = Losses.mean(tf, l);
              return Losses.weightedSum(tf, l, g.constant(new double[] {.25, .25, .25, .25}, 4));
            })) {
      double[] th = HvpFixture.random(3, 9, 1.0);
      assertEquals(f.eval(mean[0], th)[0], f.eval(f.loss, th)[0], 1e-14);
    }
  }

  private static boolean hasOpType(HvpFixture f, String type) {
    Iterator<GraphOperation> it = f.graph.operations();
    while (it.hasNext()) {
      if (it.next().type().equals(type)) {
        return true;
      }
    }
    return false;
  }

  static double[] softmax(double[] z) {
    double s = 0;
    double[] p = new double[z.length];
    for (int i = 0; i < z.length; i++) {
      p[i] = Math.exp(z[i]);
      s += p[i];
    }
    for (int i = 0; i < z.length; i++) {
      p[i] /= s;
    }
    return p;
  }
}
