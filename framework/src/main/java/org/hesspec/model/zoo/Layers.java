package org.hesspec.model.zoo;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.types.TFloat32;

/**
 * The layer vocabulary of the zoo, adding ops for one forward path under one name prefix.
 *
 * <p>Choices made so that the serving graph can be differentiated twice and converted to float64
 * by the rest of hesspec: biases are added with {@code Add} (not {@code BiasAdd}), pooling is
 * the classic {@code MaxPool} op, and inference-mode batch norm is plain {@code Mul}/{@code Add}
 * arithmetic (never {@code FusedBatchNorm}).
 */
final class Layers {

  /** Batch-norm momentum in PyTorch's convention: new = (1 - m) * old + m * batch. */
  static final float BN_MOMENTUM = 0.1f;
  /** Batch-norm epsilon (PyTorch's default). */
  static final float BN_EPSILON = 1e-5f;

  /** Which statistics batch norm normalises with. */
  enum Mode {
    /** Statistics of the current batch; moving averages are updated (training). */
    TRAINING,
    /** Stored moving statistics (evaluation, serving). */
    INFERENCE
  }

  private final Ops tf;
  private final String prefix;
  private final ParameterStore store;
  private final Mode mode;
  private final List<Op> updates;

  /**
   * @param tf ops builder whose scope names the forward ops of this path
   * @param prefix parameter-name prefix ("" at the top)
   * @param store shared creator of parameters and statistics
   * @param mode batch-norm mode of this path
   * @param updates receives the statistic-update ops of a training path
   */
  Layers(Ops tf, String prefix, ParameterStore store, Mode mode, List<Op> updates) {
    this.tf = tf;
    this.prefix = prefix;
    this.store = store;
    this.mode = mode;
    this.updates = updates;
  }

  /** Layers whose parameters and ops are named under {@code name/}. */
  Layers child(String name) {
    return new Layers(tf.withSubScope(name), prefix + name + "/", store, mode, updates);
  }

  Ops tf() {
    return tf;
  }

  /** Fully connected layer {@code x W + b}; x is [batch, in]. Parameters {@code name/kernel}, {@code name/bias}. */
  Operand<TFloat32> dense(String name, Operand<TFloat32> x, int units, Init.Kind init) {
    int in = (int) lastDim(x);
    Layers l = child(name);
    Variable<TFloat32> w = store.parameter(l.prefix + "kernel", new long[] {in, units}, new Init(init, in, units));
    Variable<TFloat32> b = store.parameter(l.prefix + "bias", new long[] {units}, Init.ZERO);
    return l.tf.math.add(l.tf.linalg.matMul(x, w), b);
  }

  /** Fully connected layer {@code x W} without bias (batch norm follows). Parameter {@code name/kernel}. */
  Operand<TFloat32> denseNoBias(String name, Operand<TFloat32> x, int units, Init.Kind init) {
    int in = (int) lastDim(x);
    Layers l = child(name);
    Variable<TFloat32> w = store.parameter(l.prefix + "kernel", new long[] {in, units}, new Init(init, in, units));
    return l.tf.linalg.matMul(x, w);
  }

  /**
   * 2-D convolution, NHWC, square kernel {@code k}, stride {@code stride}; with a bias unless
   * batch norm follows. Parameters {@code name/kernel} [k, k, in, out] and {@code name/bias}.
   */
  Operand<TFloat32> conv(String name, Operand<TFloat32> x, int k, int out, int stride, String padding, boolean bias, Init.Kind init) {
    int in = (int) lastDim(x);
    Layers l = child(name);
    Variable<TFloat32> w = store.parameter(l.prefix + "kernel", new long[] {k, k, in, out}, new Init(init, k * k * in, k * k * out));
    Operand<TFloat32> y = l.tf.nn.conv2d(x, w, List.of(1L, (long) stride, (long) stride, 1L), padding);
    if (bias) {
      Variable<TFloat32> b = store.parameter(l.prefix + "bias", new long[] {out}, Init.ZERO);
      y = l.tf.math.add(y, b);
    }
    return y;
  }

  /** 2x2 max-pool with stride 2 (the classic {@code MaxPool} op, whose gradients hesspec knows). */
  Operand<TFloat32> maxPool2(Operand<TFloat32> x, String padding) {
    return tf.scope().opBuilder("MaxPool", "MaxPool")
        .addInput(x.asOutput())
        .setAttr("ksize", new long[] {1, 2, 2, 1})
        .setAttr("strides", new long[] {1, 2, 2, 1})
        .setAttr("padding", padding)
        .setAttr("data_format", "NHWC")
        .build()
        .<TFloat32>output(0);
  }

  /** Reshapes [batch, d1, d2, ...] to [batch, d1 * d2 * ...]. */
  Operand<TFloat32> flatten(Operand<TFloat32> x) {
    Shape s = x.shape();
    long n = 1;
    for (int i = 1; i < s.numDimensions(); i++) {
      if (s.get(i) < 0) {
        throw new IllegalStateException("cannot flatten a tensor of partly unknown shape " + s);
      }
      n *= s.get(i);
    }
    if (s.numDimensions() == 2) {
      return x;
    }
    return tf.reshape(x, tf.constant(new int[] {-1, Math.toIntExact(n)}));
  }

  /** Mean over the spatial axes: [batch, h, w, c] to [batch, c]. */
  Operand<TFloat32> globalAveragePool(Operand<TFloat32> x) {
    return tf.math.mean(x, tf.constant(new int[] {1, 2}));
  }

  /**
   * Batch normalisation over all axes but the last. Parameters {@code name/gamma} (init 1) and
   * {@code name/beta} (init 0); statistics {@code name/moving_mean} and {@code name/moving_variance}.
   * Inference: {@code y = x * s + (beta - mean * s)}, {@code s = gamma / sqrt(var + eps)}.
   * Training: normalise with the batch mean and (biased) variance, gradients flowing through
   * them ({@code FusedBatchNormV3}, training graph only), and add ops that move the statistics
   * (the variance with the unbiased estimate).
   */
  Operand<TFloat32> batchNorm(String name, Operand<TFloat32> x) {
    long c = lastDim(x);
    Layers l = child(name);
    Ops t = l.tf;
    Variable<TFloat32> gamma = store.parameter(l.prefix + "gamma", new long[] {c}, Init.ONE);
    Variable<TFloat32> beta = store.parameter(l.prefix + "beta", new long[] {c}, Init.ZERO);
    String meanName = l.prefix + "moving_mean";
    String varName = l.prefix + "moving_variance";
    Operand<TFloat32> movingMean = store.statistic(meanName, new long[] {c}, 0f);
    Operand<TFloat32> movingVar = store.statistic(varName, new long[] {c}, 1f);
    Operand<TFloat32> eps = t.constant(BN_EPSILON);
    if (mode == Mode.INFERENCE) {
      Operand<TFloat32> scale = t.math.mul(gamma, t.math.rsqrt(t.math.add(movingVar, eps)));
      Operand<TFloat32> shift = t.math.sub(beta, t.math.mul(movingMean, scale));
      return t.math.add(t.math.mul(x, scale), shift);
    }
    // Training: TensorFlow's fused kernel (one pass for the statistics, one for y; a fused
    // gradient), on [batch, h, w, c] or [batch, c] viewed as [batch, 1, 1, c]. It normalises
    // with the biased batch variance and outputs the unbiased one (m / (m - 1)), which the
    // moving average takes, as PyTorch does.
    int rank = x.shape().numDimensions();
    if (rank != 2 && rank != 4) {
      throw new IllegalStateException("batch norm over a rank-" + rank + " tensor");
    }
    Operand<TFloat32> x4 = rank == 4 ? x : t.reshape(x, t.constant(new long[] {-1, 1, 1, c}));
    Operand<TFloat32> none = t.zeros(t.constant(new long[] {0}), TFloat32.class);
    FusedBatchNorm<TFloat32, TFloat32> bn = FusedBatchNorm.create(t.scope(), x4, gamma, beta, none, none,
        FusedBatchNorm.epsilon(BN_EPSILON), FusedBatchNorm.isTraining(true), FusedBatchNorm.dataFormat("NHWC"));
    Operand<TFloat32> y = rank == 4 ? bn.y() : t.reshape(bn.y(), t.constant(new long[] {-1, c}));

    Operand<TFloat32> m = t.constant(BN_MOMENTUM);
    Operand<TFloat32> keep = t.constant(1f - BN_MOMENTUM);
    Variable<TFloat32> mmVar = store.statisticVariable(meanName);
    Variable<TFloat32> mvVar = store.statisticVariable(varName);
    updates.add(t.assign(mmVar, t.math.add(t.math.mul(mmVar, keep), t.math.mul(bn.batchMean(), m))));
    updates.add(t.assign(mvVar, t.math.add(t.math.mul(mvVar, keep), t.math.mul(bn.batchVariance(), m))));
    return y;
  }

  Operand<TFloat32> activation(Activation a, Operand<TFloat32> x) {
    return a.apply(tf, x);
  }

  Operand<TFloat32> relu(Operand<TFloat32> x) {
    return tf.nn.relu(x);
  }

  private static long lastDim(Operand<TFloat32> x) {
    Shape s = x.shape();
    long d = s.get(s.numDimensions() - 1);
    if (d < 0) {
      throw new IllegalStateException("the last dimension of " + x + " is unknown");
    }
    return d;
  }
}
