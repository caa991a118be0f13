package org.hesspec.model.grad;

import java.util.List;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.OperationBuilder;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;

/**
 * Untyped op construction for gradient functions.
 *
 * <p>Gradient callbacks see {@code Output<?>} of whatever dtype the differentiated op had; the
 * generated typed API ({@code tf.math.mul(Operand<T>, Operand<T>)}) would need unchecked casts at
 * every call. Building by op type name keeps the formulas readable and lets TensorFlow infer the
 * type attributes ({@code T}) from the inputs, exactly as the generated classes do.
 */
final class RawOps {

  private RawOps() {}

  /** Adds an op of {@code type} with the given inputs and returns its output 0. */
  static Output<?> op(Ops tf, String type, Output<?>... inputs) {
    return builder(tf, type, inputs).build().output(0);
  }

  /** An op builder with inputs added; callers set attributes and call {@code build()}. */
  static OperationBuilder builder(Ops tf, String type, Output<?>... inputs) {
    OperationBuilder b = tf.scope().opBuilder(type, type);
    for (Output<?> in : inputs) {
      b.addInput(in);
    }
    return b;
  }

  /**
   * Copies the named attributes of {@code from} onto {@code to}, skipping any that {@code from}
   * does not carry (an optional attribute of an older GraphDef, say), so that the new op falls
   * back to its OpDef default exactly as the original did.
   */
  static OperationBuilder copyAttrs(OperationBuilder to, GraphOperation from, String... names) {
    for (String name : names) {
      AttrValue value;
      try {
        value = from.attributes().getAttrValueProto(name);
      } catch (RuntimeException absent) {
        continue;
      }
      if (value != null) {
        to.setAttr(name, value);
      }
    }
    return to;
  }

  static Output<?> zerosLike(Ops tf, Output<?> x) {
    return op(tf, "ZerosLike", x);
  }

  static Output<?> mul(Ops tf, Output<?> a, Output<?> b) {
    return op(tf, "Mul", a, b);
  }

  static Output<?> shape(Ops tf, Output<?> x) {
    return builder(tf, "Shape", x).setAttr("out_type", DataType.DT_INT32).build().output(0);
  }

  /** {@code Cast(x)} to {@code dtype}. */
  static Output<?> cast(Ops tf, Output<?> x, DataType dtype) {
    return builder(tf, "Cast", x).setAttr("DstT", dtype).build().output(0);
  }

  /** A scalar constant of the given floating dtype. */
  static Output<?> scalar(Ops tf, double value, DataType dtype) {
    if (dtype == DataType.DT_DOUBLE) {
      return tf.constant(value).asOutput();
    }
    if (dtype == DataType.DT_FLOAT) {
      return tf.constant((float) value).asOutput();
    }
    return cast(tf, tf.constant(value).asOutput(), dtype);
  }

  /** 1 where {@code predicate} holds, else 0, in {@code dtype}. */
  static Output<?> indicator(Ops tf, Output<?> predicate, DataType dtype) {
    return cast(tf, predicate, dtype);
  }

  /** Whether gradients flow through tensors of this dtype (real or complex floating point). */
  static boolean isDifferentiable(DataType dtype) {
    switch (dtype) {
      case DT_FLOAT:
      case DT_DOUBLE:
      case DT_HALF:
      case DT_BFLOAT16:
      case DT_COMPLEX64:
      case DT_COMPLEX128:
        return true;
      default:
        return false;
    }
  }

  static List<Operand<?>> list(Operand<?>... operands) {
    return List.of(operands);
  }
}
