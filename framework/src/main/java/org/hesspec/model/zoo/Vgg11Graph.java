package org.hesspec.model.zoo;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** The forward pass of a {@link Vgg11}. */
final class Vgg11Graph {
  private Vgg11Graph() {}

  static Operand<TFloat32> logits(Vgg11 spec, Layers l, Operand<TFloat32> x) {
    if (spec.batchNorm()) {
      return withBatchNorm(spec, l, x);
    }
    Operand<TFloat32> h = x;
    int conv = 0;
    for (int width : Vgg11.FEATURES) {
      if (width == 0) {
        // SAME pooling rounds odd sizes up, so 28x28 inputs also survive five pools (28-14-7-4-2-1).
        h = l.maxPool2(h, "SAME");
      } else {
        int w = Specs.scaled(width, spec.widthMultiplier());
        h = l.relu(l.conv("conv_" + conv++, h, 3, w, 1, "SAME", true, Init.Kind.HE_NORMAL));
      }
    }
    h = l.flatten(h);
    int hidden = Specs.scaled(Vgg11.CLASSIFIER_WIDTH, spec.widthMultiplier());
    h = l.relu(l.dense("dense_0", h, hidden, Init.Kind.HE_NORMAL));
    h = l.relu(l.dense("dense_1", h, hidden, Init.Kind.HE_NORMAL));
    return l.dense("dense_2", h, spec.numClasses(), Init.Kind.GLOROT_UNIFORM);
  }

  /** Papyan's VGG11_bn: conv-BN-ReLU blocks; classifier dense(no bias)-BN-ReLU twice, then dense. */
  private static Operand<TFloat32> withBatchNorm(Vgg11 spec, Layers l, Operand<TFloat32> x) {
    Operand<TFloat32> h = x;
    int conv = 0;
    for (int width : Vgg11.FEATURES) {
      if (width == 0) {
        h = l.maxPool2(h, "SAME");
      } else {
        int w = Specs.scaled(width, spec.widthMultiplier());
        Operand<TFloat32> c = l.conv("conv_" + conv, h, 3, w, 1, "SAME", true, Init.Kind.HE_NORMAL_FAN_OUT);
        h = l.relu(l.batchNorm("bn_" + conv, c));
        conv++;
      }
    }
    h = l.flatten(h);
    int hidden = Specs.scaled(Vgg11.CLASSIFIER_WIDTH, spec.widthMultiplier());
    for (int i = 0; i < 2; i++) {
      String name = "dense_" + i;
      h = l.relu(l.child(name).batchNorm("bn", l.denseNoBias(name, h, hidden, Init.Kind.NORMAL_0_01)));
    }
    return l.dense("dense_2", h, spec.numClasses(), Init.Kind.NORMAL_0_01);
  }
}
