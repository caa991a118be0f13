package org.hesspec.model.zoo;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** The forward pass of a {@link LeNet}. */
final class LeNetGraph {
  private LeNetGraph() {}

  static Operand<TFloat32> logits(LeNet spec, Layers l, Operand<TFloat32> x) {
    Activation a = spec.activation();
    Init.Kind init = a.weightInit();
    Operand<TFloat32> h = l.activation(a, l.conv("conv_0", x, 5, spec.conv1Channels(), 1, "VALID", true, init));
    h = l.maxPool2(h, "VALID");
    h = l.activation(a, l.conv("conv_1", h, 5, spec.conv2Channels(), 1, "VALID", true, init));
    h = l.maxPool2(h, "VALID");
    h = l.flatten(h);
    h = l.activation(a, l.dense("dense_0", h, 120, init));
    h = l.activation(a, l.dense("dense_1", h, 84, init));
    return l.dense("dense_2", h, spec.numClasses(), Init.Kind.GLOROT_UNIFORM);
  }
}
