package org.hesspec.model.grad;

import static org.hesspec.model.grad.RawOps.builder;
import static org.hesspec.model.grad.RawOps.mul;
import static org.hesspec.model.grad.RawOps.op;

import org.hesspec.model.OutputKind;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.DataType;

/**
 * Per-example losses and their reductions, built only from ops that TensorFlow (with
 * {@link SecondOrderGradients}) differentiates twice in float32 and float64.
 *
 * <p>Softmax cross-entropy is {@code l_i = -sum_c onehot(y_i)_c * LogSoftmax(z_i)_c =
 * logsumexp(z_i) - z_{i,y_i}}, whose Hessian in z is {@code diag(p_i) - p_i p_i^T} with {@code p_i
 * = softmax(z_i)}. It does not use the fused SoftmaxCrossEntropyWithLogits, whose C++ gradient
 * cannot be built in float64 ("Inconsistent values for attr 'T'"); LogSoftmax, OneHot, Mul and Sum
 * differentiate twice in both precisions.
 *
 * <p>Squared error follows the 1/2 convention: {@code l_i = 1/2 ||f_i - t_i||^2}, so that {@code
 * dl/df = f - t} and {@code d2l/df2 = I} (the Gauss-Newton matrix is then {@code J^T J} with no
 * factor 2).
 *
 * <p>Reductions: {@link #weightedSum} gives {@code sum_i w_i l_i} with the weights a tensor
 * (typically a placeholder), so that accumulating mini-batches with {@code w_i = 1/n} yields the
 * data-set mean {@code L = 1/n sum_i l_i} whatever the batch size, and per-class or per-subset
 * losses are weights, not new graphs. {@link #mean} is the batch mean.
 */
public final class Losses {

  private Losses() {}

  /**
   * Per-example softmax cross-entropy, shape [B], for outputs of shape [B, C] and integer labels
   * (int32 or int64) of shape [B].
   *
   * <p>For {@link OutputKind#PROBABILITIES} z = log(p), for {@link OutputKind#LOG_PROBABILITIES}
   * z = the output, and then the logits formula. LogSoftmax(log p) = log p - log sum p equals log p
   * when p is normalised (as a function of theta too, so derivatives agree), and renormalises
   * rounding error away otherwise. Probabilities that underflow to 0 give infinite losses: prefer
   * logits or log-probabilities when the model can expose them.
   */
  public static Output<?> crossEntropy(
      Ops tf, Operand<?> output, OutputKind kind, Operand<?> labels) {
    Output<?> z = output.asOutput();
    if (kind == OutputKind.PROBABILITIES) {
      z = op(tf, "Log", z);
    }
    Output<?> logp = op(tf, "LogSoftmax", z);
    Output<?> picked = mul(tf, oneHot(tf, labels, z), logp);
    return op(tf, "Neg", op(tf, "Sum", picked, tf.constant(-1).asOutput()));
  }

  /** Per-example {@code 1/2 ||f_i - t_i||^2}, shape [B], summed over every axis but the first. */
  public static Output<?> halfSquaredError(Ops tf, Operand<?> output, Operand<?> targets) {
    Output<?> f = output.asOutput();
    Output<?> sq = op(tf, "Square", op(tf, "Sub", f, targets.asOutput()));
    Output<?> axes =
        op(tf, "Range", tf.constant(1).asOutput(), op(tf, "Rank", f), tf.constant(1).asOutput());
    return mul(tf, RawOps.scalar(tf, 0.5, f.dataType()), op(tf, "Sum", sq, axes));
  }

  /** {@link #halfSquaredError} against one-hot encoded class labels (outputs [B, C]). */
  public static Output<?> halfSquaredErrorToOneHot(Ops tf, Operand<?> output, Operand<?> labels) {
    return halfSquaredError(tf, output, oneHot(tf, labels, output.asOutput()));
  }

  /** {@code sum_i w_i l_i}: a scalar. */
  public static Output<?> weightedSum(Ops tf, Operand<?> perExample, Operand<?> weights) {
    Output<?> weighted = mul(tf, weights.asOutput(), perExample.asOutput());
    return op(tf, "Sum", weighted, tf.constant(0).asOutput());
  }

  /** {@code 1/B sum_i l_i}: a scalar. */
  public static Output<?> mean(Ops tf, Operand<?> perExample) {
    return op(tf, "Mean", perExample.asOutput(), tf.constant(0).asOutput());
  }

  /**
   * {@code onehot(y)} with the dtype and class count (last dimension) of {@code like}, [B, C]. The
   * class count is read from the static shape when known, else from the tensor at run time.
   */
  public static Output<?> oneHot(Ops tf, Operand<?> labels, Output<?> like) {
    DataType dtype = like.dataType();
    Output<?> depth;
    long classes =
        like.shape().isUnknown() || like.shape().numDimensions() == 0
            ? -1
            : like.shape().get(like.shape().numDimensions() - 1);
    if (classes > 0) {
      depth = tf.constant((int) classes).asOutput();
    } else {
      Output<?> shape = RawOps.shape(tf, like);
      Output<?> last = op(tf, "Sub", op(tf, "Size", shape), tf.constant(1).asOutput());
      depth = op(tf, "GatherV2", shape, last, tf.constant(0).asOutput());
    }
    return builder(
            tf,
            "OneHot",
            labels.asOutput(),
            depth,
            RawOps.scalar(tf, 1.0, dtype),
            RawOps.scalar(tf, 0.0, dtype))
        .build()
        .output(0);
  }
}
