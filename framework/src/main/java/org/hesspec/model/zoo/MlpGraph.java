package org.hesspec.model.zoo;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** The forward pass of an {@link Mlp}. */
final class MlpGraph {
  private MlpGraph() {}

  static Operand<TFloat32> logits(Mlp spec, Layers l, Operand<TFloat32> x) {
    Operand<TFloat32> h = l.flatten(x);
    int i = 0;
    for (int width : spec.hidden()) {
      h = l.activation(spec.activation(), l.dense("dense_" + i++, h, width, spec.activation().weightInit()));
    }
    // The output layer is linear: Glorot keeps the initial logits at unit scale.
    return l.dense("dense_" + i, h, spec.numClasses(), Init.Kind.GLOROT_UNIFORM);
  }
}
