package org.hesspec.model.grad;

import java.util.List;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;

/**
 * The gradient of one op type: given the upstream gradients {@code u_k = dL/d(out_k)} of the op's
 * outputs, the vector-Jacobian products {@code dL/d(in_j) = sum_k J_kj^T u_k} for every input j.
 *
 * <p>Implementations return exactly one operand per op input, in input order, never null; an input
 * through which no gradient flows (an integer shape, a label) gets zeros of its own dtype. They
 * may throw: the dispatcher in {@link SecondOrderGradients} catches everything.
 */
@FunctionalInterface
interface OpGradient {
  List<Operand<?>> apply(Ops tf, GraphOperation op, List<Output<?>> upstream);
}
