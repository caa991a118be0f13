package org.hesspec.model.grad;

import static org.hesspec.model.grad.RawOps.builder;
import static org.hesspec.model.grad.RawOps.copyAttrs;
import static org.hesspec.model.grad.RawOps.indicator;
import static org.hesspec.model.grad.RawOps.list;
import static org.hesspec.model.grad.RawOps.mul;
import static org.hesspec.model.grad.RawOps.op;
import static org.hesspec.model.grad.RawOps.scalar;
import static org.hesspec.model.grad.RawOps.shape;
import static org.hesspec.model.grad.RawOps.zerosLike;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.DataType;

/**
 * Java gradients for the op types whose gradient TensorFlow's C++ registry lacks, mostly the
 * gradient ops that a first {@code addGradients} emits, so that a second {@code addGradients}
 * (Hessian-vector products) can pass through them.
 *
 * <p>Notation: {@code u} is the upstream gradient of the op's (first) output, {@code 1[.]} an
 * indicator. Gradients "zero almost everywhere" are those of piecewise-constant factors (ReLU masks,
 * max-pool argmax): their derivative vanishes except on a measure-zero set of kinks, where it does
 * not exist; returning zero there is the usual convention and what TensorFlow's Python registry
 * does. The formulas follow TensorFlow's Python gradients ({@code nn_grad.py}, {@code math_grad.py}),
 * which the C++ registry did not port.
 *
 * <p>Ops used to express a gradient that itself sits on a first-order path (only
 * SparseSoftmaxCrossEntropyWithLogits, OnesLike) are chosen among ops with C++ gradients, so that
 * their second derivative exists too.
 */
final class GradientFunctions {

  private GradientFunctions() {}

  /** Op type to gradient, in a stable order (the registration order). */
  static Map<String, OpGradient> table() {
    Map<String, OpGradient> t = new LinkedHashMap<>();
    t.put("ReluGrad", GradientFunctions::reluGrad);
    t.put("Relu6Grad", GradientFunctions::relu6Grad);
    t.put("TanhGrad", GradientFunctions::tanhGrad);
    t.put("SigmoidGrad", GradientFunctions::sigmoidGrad);
    t.put("SoftplusGrad", GradientFunctions::softplusGrad);
    t.put("EluGrad", GradientFunctions::eluGrad);
    t.put("SeluGrad", GradientFunctions::seluGrad);
    t.put("SoftsignGrad", GradientFunctions::softsignGrad);
    t.put("SqrtGrad", GradientFunctions::sqrtGrad);
    t.put("RsqrtGrad", GradientFunctions::rsqrtGrad);
    t.put("ReciprocalGrad", GradientFunctions::reciprocalGrad);
    t.put("BiasAddGrad", GradientFunctions::biasAddGrad);
    t.put("Conv2DBackpropFilter", GradientFunctions::conv2dBackpropFilter);
    t.put("MaxPoolGrad", GradientFunctions::maxPoolGrad);
    t.put("MaxPoolGradV2", GradientFunctions::maxPoolGradV2);
    t.put("MaxPoolWithArgmax", GradientFunctions::maxPoolWithArgmax);
    t.put("MaxPoolGradWithArgmax", GradientFunctions::maxPoolGradWithArgmax);
    t.put("AvgPoolGrad", GradientFunctions::avgPoolGrad);
    t.put("SparseSoftmaxCrossEntropyWithLogits", GradientFunctions::sparseSoftmaxCrossEntropy);
    t.put("OnesLike", GradientFunctions::onesLike);
    return t;
  }

  /**
   * {@code ReluGrad(g, x) = g * 1[x > 0]}, linear in g. d/dg = {@code ReluGrad(u, x)}; d/dx = 0
   * almost everywhere (the mask is piecewise constant in x).
   */
  static List<Operand<?>> reluGrad(Ops tf, GraphOperation op, List<Output<?>> up) {
    Output<?> x = op.input(1);
    return list(op(tf, "ReluGrad", up.get(0), x), zerosLike(tf, x));
  }

  /**
   * {@code Relu6Grad(g, x) = g * 1[0 < x < 6]}. d/dg = {@code Relu6Grad(u, x)}; d/dx = 0 almost
   * everywhere.
   */
  static List<Operand<?>> relu6Grad(Ops tf, GraphOperation op, List<Output<?>> up) {
    Output<?> x = op.input(1);
    return list(op(tf, "Relu6Grad", up.get(0), x), zerosLike(tf, x));
  }

  /**
   * {@code TanhGrad(y, dy) = dy * (1 - y^2)} with y = tanh(x). d/dy = {@code u * dy * (-2 y)};
   * d/d(dy) = {@code TanhGrad(y, u)}.
   */
  static List<Operand<?>> tanhGrad(Ops tf, GraphOperation op, List<Output<?>> up) {
    Output<?> y = op.input(0);
    Output<?> dy = op.input(1);
    Output<?> u = up.get(0);
    Output<?> minusTwoY = mul(tf, scalar(tf, -2.0, y.dataType()), y);
    return list(mul(tf, mul(tf, u, dy), minusTwoY), op(tf, "TanhGrad", y, u));
  }

  /**
   * {@code SigmoidGrad(y, dy) = dy * y * (1 - y)} with y = sigmoid(x). d/dy = {@code u * dy * (1 -
   * 2y)}; d/d(dy) = {@code SigmoidGrad(y, u)}.
   */
  static List<Operand<?>> sigmoidGrad(Ops tf, GraphOperation op, List<Output<?>> up) {
    Output<?> y = op.input(0);
    Output<?> dy = op.input(1);
    Output<?> u = up.get(0);
    DataType t = y.dataType();
    Output<?> oneMinusTwoY =
        op(tf, "Sub", scalar(tf, 1.0, t), mul(tf, scalar(tf, 2.0, t), y));
    return list(mul(tf, mul(tf, u, dy), oneMinusTwoY), op(tf, "SigmoidGrad", y, u));
  }

  /**
   * {@code SoftplusGrad(g, x) = g * s} with s = sigmoid(x). d/dg = {@code SoftplusGrad(u, x)};
   * d/dx = {@code u * g * s * (1 - s)}, written {@code SigmoidGrad(s, u * g)}.
   */
  static List<Operand<?>> softplusGrad(Ops tf, GraphOperation op, List<Output<?>> up) {
    Output<?> g = op.input(0);
    Output<?> x = op.input(1);
    Output<?> u = up.get(0);
    Output<?> s = op(tf, "Sigmoid", x);
    return list(op(tf, "SoftplusGrad", u, x), op(tf, "SigmoidGrad", s, mul(tf, u, g)));
  }

  /**
   * {@code EluGrad(g, y) = g * (y + 1)} where y < 0, else {@code g}; y = elu(x) is the op's
   * output (C++'s Elu gradient passes the output). d/dg = {@code EluGrad(u, y)}; d/dy = {@code u *
   * g * 1[y < 0]} (zero for y > 0, undefined only at the kink y = 0).
   */
  static List<Operand<?>> eluGrad(Ops tf, GraphOperation op, List<Output<?>> up) {
    Output<?> g = op.input(0);
    Output<?> y = op.input(1);
    Output<?> u = up.get(0);
    Output<?> negative =
        indicator(tf, op(tf, "Less", y, scalar(tf, 0.0, y.dataType())), y.dataType());
    return list(op(tf, "EluGrad", u, y), mul(tf, mul(tf, u, g), negative));
  }

  /**
   * {@code SeluGrad(g, y) = g * (y + scale * alpha)} where y < 0, else {@code g * scale}; y =
   * selu(x) is the op's output. d/dg = {@code SeluGrad(u, y)}; d/dy = {@code u * g * 1[y < 0]}.
   */
  static List<Operand<?>> seluGrad(Ops tf, GraphOperation op, List<Output<?>> up) {
    Output<?> g = op.input(0);
    Output<?> y = op.input(1);
    Output<?> u = up.get(0);
    Output<?> negative =
        indicator(tf, op(tf, "Less", y, scalar(tf, 0.0, y.dataType())), y.dataType());
    return list(op(tf, "SeluGrad", u, y), mul(tf, mul(tf, u, g), negative));
  }

  /**
   * {@code SoftsignGrad(g, x) = g / (1 + |x|)^2}. d/dg = {@code SoftsignGrad(u, x)}; d/dx =
   * {@code -2 sign(x) u g / (1 + |x|)^3}, written {@code -2 sign(x) SoftsignGrad(u g, x) / (1 +
   * |x|)}.
   */
  static List<Operand<?>> softsignGrad(Ops tf, GraphOperation op, List<Output<?>> up) {
    Output<?> g = op.input(0);
    Output<?> x = op.input(1);
    Output<?> u = up.get(0);
    DataType t = x.dataType();
    Output<?> onePlusAbs = op(tf, "AddV2", scalar(tf, 1.0, t), op(tf, "Abs", x));
    Output<?> inner = op(tf, "SoftsignGrad", mul(tf, u, g), x);
    Output<?> dx =
        op(
            tf,
            "RealDiv",
            mul(tf, mul(tf, scalar(tf, -2.0, t), op(tf, "Sign", x)), inner),
            onePlusAbs);
    return list(op(tf, "SoftsignGrad", u, x), dx);
  }

  /**
   * {@code SqrtGrad(y, dy) = dy / (2 y)} with y = sqrt(x). d/dy = {@code -u * SqrtGrad(y, dy) /
   * y}; d/d(dy) = {@code SqrtGrad(y, u)}.
   */
  static List<Operand<?>> sqrtGrad(Ops tf, GraphOperation op, List<Output<?>> up) {
    Output<?> y = op.input(0);
    Output<?> u = up.get(0);
    Output<?> dyy = op(tf, "Neg", op(tf, "RealDiv", mul(tf, u, op.output(0)), y));
    return list(dyy, op(tf, "SqrtGrad", y, u));
  }

  /**
   * {@code RsqrtGrad(y, dy) = -dy * y^3 / 2} with y = 1/sqrt(x). d/dy = {@code -3/2 u dy y^2};
   * d/d(dy) = {@code RsqrtGrad(y, u)}.
   */
  static List<Operand<?>> rsqrtGrad(Ops tf, GraphOperation op, List<Output<?>> up) {
    Output<?> y = op.input(0);
    Output<?> dy = op.input(1);
    Output<?> u = up.get(0);
    Output<?> dyy =
        mul(tf, scalar(tf, -1.5, y.dataType()), mul(tf, mul(tf, u, dy), op(tf, "Square", y)));
    return list(dyy, op(tf, "RsqrtGrad", y, u));
  }

  /**
   * {@code ReciprocalGrad(y, dy) = -dy * y^2} with y = 1/x. d/dy = {@code -2 u dy y}; d/d(dy) =
   * {@code ReciprocalGrad(y, u)}.
   */
  static List<Operand<?>> reciprocalGrad(Ops tf, GraphOperation op, List<Output<?>> up) {
    Output<?> y = op.input(0);
    Output<?> dy = op.input(1);
    Output<?> u = up.get(0);
    Output<?> dyy = mul(tf, scalar(tf, -2.0, y.dataType()), mul(tf, mul(tf, u, dy), y));
    return list(dyy, op(tf, "ReciprocalGrad", y, u));
  }

  /**
   * {@code BiasAddGrad(d)} sums d over every axis but the channel axis (last for NHWC, 1 for
   * NCHW); it is linear, so d/dd = u broadcast back along the summed axes.
   */
  static List<Operand<?>> biasAddGrad(Ops tf, GraphOperation op, List<Output<?>> up) {
    Output<?> d = op.input(0);
    Output<?> u = up.get(0);
    Output<?> dShape = shape(tf, d);
    Output<?> uAligned = u;
    if ("NCHW".equals(dataFormat(op))) {
      // u has shape [C]; reshape to [1, C, 1, ..., 1] (rank of d) so that it broadcasts on axis 1.
      Output<?> rank = op(tf, "Size", dShape);
      Output<?> trailing =
          op(tf, "Sub", rank, tf.constant(2).asOutput());
      Output<?> ones = op(tf, "Fill", op(tf, "Reshape", trailing, tf.constant(new int[] {1})
          .asOutput()), tf.constant(1).asOutput());
      Output<?> newShape =
          builder(tf, "ConcatV2")
              .addInputList(new Output<?>[] {tf.constant(new int[] {1, -1}).asOutput(), ones})
              .addInput(tf.constant(0).asOutput())
              .build()
              .output(0);
      uAligned = op(tf, "Reshape", u, newShape);
    }
    return list(op(tf, "BroadcastTo", uAligned, dShape));
  }

  /**
   * {@code Conv2DBackpropFilter(x, filter_sizes, d)} is {@code dW}, bilinear in the input x and the
   * output gradient d: {@code <U, dW> = <d, Conv2D(x, U)> = <x, Conv2DBackpropInput(shape(x), U,
   * d)>}. So d/dx = {@code Conv2DBackpropInput(shape(x), U, d)}, d/dd = {@code Conv2D(x, U)} with
   * the op's strides, padding, dilations and data format, and the integer filter_sizes get zeros.
   */
  static List<Operand<?>> conv2dBackpropFilter(Ops tf, GraphOperation op, List<Output<?>> up) {
    Output<?> x = op.input(0);
    Output<?> filterSizes = op.input(1);
    Output<?> d = op.input(2);
    Output<?> u = up.get(0);
    String[] attrs = {
      "strides", "padding", "explicit_paddings", "data_format", "dilations", "use_cudnn_on_gpu"
    };
    Output<?> dx =
        copyAttrs(builder(tf, "Conv2DBackpropInput", shape(tf, x), u, d), op, attrs)
            .build()
            .output(0);
    Output<?> dd = copyAttrs(builder(tf, "Conv2D", x, u), op, attrs).build().output(0);
    return list(dx, zerosLike(tf, filterSizes), dd);
  }

  /**
   * {@code MaxPoolGrad(x, y, g)} routes g to the argmax of each window; linear in g with an
   * argmax that is piecewise constant in (x, y). d/dg = {@code MaxPoolGradGrad(x, y, u)} (gathers
   * u at the argmax); d/dx = d/dy = 0 almost everywhere.
   */
  static List<Operand<?>> maxPoolGrad(Ops tf, GraphOperation op, List<Output<?>> up) {
    Output<?> x = op.input(0);
    Output<?> y = op.input(1);
    Output<?> dg =
        copyAttrs(
                builder(tf, "MaxPoolGradGrad", x, y, up.get(0)),
                op,
                "ksize",
                "strides",
                "padding",
                "data_format")
            .build()
            .output(0);
    return list(zerosLike(tf, x), zerosLike(tf, y), dg);
  }

  /**
   * {@code MaxPoolGradV2(x, y, g, ksize, strides)}: as {@link #maxPoolGrad} with window sizes as
   * integer tensors. d/dg = {@code MaxPoolGradGradV2(x, y, u, ksize, strides)}; zeros for x, y and
   * the integer ksize and strides.
   */
  static List<Operand<?>> maxPoolGradV2(Ops tf, GraphOperation op, List<Output<?>> up) {
    Output<?> x = op.input(0);
    Output<?> y = op.input(1);
    Output<?> ksize = op.input(3);
    Output<?> strides = op.input(4);
    Output<?> dg =
        copyAttrs(
                builder(tf, "MaxPoolGradGradV2", x, y, up.get(0), ksize, strides),
                op,
                "padding",
                "data_format")
            .build()
            .output(0);
    return list(
        zerosLike(tf, x), zerosLike(tf, y), dg, zerosLike(tf, ksize), zerosLike(tf, strides));
  }

  /**
   * {@code (y, argmax) = MaxPoolWithArgmax(x)}: y is x at the argmax of each window. d/dx =
   * {@code MaxPoolGradWithArgmax(x, u, argmax)}, u scattered (added) to the argmax positions; the
   * integer argmax has no gradient.
   */
  static List<Operand<?>> maxPoolWithArgmax(Ops tf, GraphOperation op, List<Output<?>> up) {
    Output<?> x = op.input(0);
    Output<?> dx =
        copyAttrs(
                builder(tf, "MaxPoolGradWithArgmax", x, up.get(0), op.output(1)),
                op,
                "ksize",
                "strides",
                "padding",
                "include_batch_in_index")
            .build()
            .output(0);
    return list(dx);
  }

  /**
   * {@code MaxPoolGradWithArgmax(x, g, argmax)} adds g into a tensor shaped like x at the argmax
   * positions; linear in g. d/dg gathers u at the argmax: {@code reshape(gather(flat(u), argmax),
   * shape(g))} (the index counts the batch, as {@code MaxPoolArgmax} builds it); d/dx = 0 almost
   * everywhere (the argmax is piecewise constant), none for the integer argmax (zeros).
   */
  static List<Operand<?>> maxPoolGradWithArgmax(Ops tf, GraphOperation op, List<Output<?>> up) {
    Output<?> x = op.input(0);
    Output<?> g = op.input(1);
    Output<?> argmax = op.input(2);
    boolean batchInIndex;
    try {
      batchInIndex = op.attributes().getAttrBool("include_batch_in_index");
    } catch (RuntimeException absent) {
      batchInIndex = false;
    }
    if (!batchInIndex) {
      throw new IllegalStateException(
          "MaxPoolGradWithArgmax " + op.name() + ": second derivative needs include_batch_in_index=true");
    }
    Output<?> flat = op(tf, "Reshape", up.get(0), tf.constant(new int[] {-1}).asOutput());
    Output<?> gathered = op(tf, "GatherV2", flat, argmax, tf.constant(0).asOutput());
    Output<?> dg = op(tf, "Reshape", gathered, shape(tf, g));
    return list(zerosLike(tf, x), dg, zerosLike(tf, argmax));
  }

  /**
   * {@code AvgPoolGrad(shape, g)} spreads g evenly over each window; it is the adjoint of
   * AvgPool, so d/dg = {@code AvgPool(u)} with the same windows. The integer shape gets zeros.
   */
  static List<Operand<?>> avgPoolGrad(Ops tf, GraphOperation op, List<Output<?>> up) {
    Output<?> dg =
        copyAttrs(
                builder(tf, "AvgPool", up.get(0)), op, "ksize", "strides", "padding", "data_format")
            .build()
            .output(0);
    return list(zerosLike(tf, op.input(0)), dg);
  }

  /**
   * {@code SparseSoftmaxCrossEntropyWithLogits(z, y)} has outputs {@code loss_i = logsumexp(z_i) -
   * z_{i,y_i}} and {@code backprop_i = p_i - e_{y_i}} with {@code p_i = softmax(z_i)}. With
   * upstream {@code a} (for loss, shape [B]) and {@code b} (for backprop, shape [B, C]):
   *
   * <pre>
   *   dL/dz_i = a_i * backprop_i + J_i^T b_i,   J_i = diag(p_i) - p_i p_i^T  (symmetric)
   *           = a_i * backprop_i + p_i * b_i - p_i * (p_i . b_i)
   * </pre>
   *
   * and zeros for the integer labels. The first term uses the op's own {@code backprop} output, so
   * a second differentiation flows into that output and comes back here with b = that upstream:
   * this is how the second derivative {@code a_i J_i} arises. Every op used has a C++ gradient
   * (Mul, ExpandDims, Softmax, Sum, Sub), so third order would pass too. A term whose upstream is
   * the ZerosLike that TensorFlow inserts for an output nothing depends on (b in the first-order
   * pass, a in the second) is skipped rather than multiplied by zeros.
   */
  static List<Operand<?>> sparseSoftmaxCrossEntropy(
      Ops tf, GraphOperation op, List<Output<?>> up) {
    Output<?> z = op.input(0);
    Output<?> labels = op.input(1);
    Output<?> a = up.get(0);
    Output<?> b = up.get(1);
    Output<?> minusOne = tf.constant(-1).asOutput();
    Output<?> dz = null;
    if (!isInsertedZeros(a)) {
      dz = mul(tf, op(tf, "ExpandDims", a, minusOne), op.output(1));
    }
    if (!isInsertedZeros(b)) {
      Output<?> p = op(tf, "Softmax", z);
      Output<?> pb = mul(tf, p, b);
      Output<?> pDotB =
          builder(tf, "Sum", pb, minusOne).setAttr("keep_dims", true).build().output(0);
      Output<?> jtb = op(tf, "Sub", pb, mul(tf, p, pDotB));
      dz = dz == null ? jtb : op(tf, "AddV2", dz, jtb);
    }
    if (dz == null) {
      // TensorFlow does not call a gradient whose upstreams are all absent; stay total anyway.
      dz = zerosLike(tf, z);
    }
    return list(dz, zerosLike(tf, labels));
  }

  /** {@code OnesLike(x)} does not depend on the values of x: zero gradient. */
  static List<Operand<?>> onesLike(Ops tf, GraphOperation op, List<Output<?>> up) {
    return list(zerosLike(tf, op.input(0)));
  }

  /** TensorFlow fills an output that received no gradient with {@code ZerosLike(output)}. */
  private static boolean isInsertedZeros(Output<?> upstream) {
    return "ZerosLike".equals(upstream.op().type());
  }

  private static String dataFormat(GraphOperation op) {
    try {
      return op.attributes().getAttrString("data_format");
    } catch (RuntimeException absent) {
      return "NHWC";
    }
  }
}
