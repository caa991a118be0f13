package org.hesspec.model.grad;

import java.util.List;
import org.tensorflow.proto.DataType;

/**
 * Whether TensorFlow (with this package's registrations, if made) can differentiate an op type once
 * and twice, as {@link DerivativeSupport} measured it.
 *
 * @param opType the op type, e.g. {@code "Conv2D"}
 * @param dtype the dtype of its first floating input (support can differ by dtype: the C++
 *     gradient of SoftmaxCrossEntropyWithLogits builds in float32 and fails in float64);
 *     {@code DT_INVALID} when the op could not be inspected
 * @param hasFirst a first derivative can be built
 * @param hasSecond a derivative of that first derivative can be built (Hessian-vector products)
 * @param missing the op types whose gradient is missing (the op itself when the first derivative
 *     fails; ops of its gradient when the second does), empty when both exist
 * @param detail TensorFlow's message for a failure that names no op, or how the answer was found
 */
public record OpSupport(
    String opType,
    DataType dtype,
    boolean hasFirst,
    boolean hasSecond,
    List<String> missing,
    String detail) {

  public OpSupport {
    missing = List.copyOf(missing);
  }

  /** Both derivatives can be built. */
  public boolean supported() {
    return hasFirst && hasSecond;
  }
}
