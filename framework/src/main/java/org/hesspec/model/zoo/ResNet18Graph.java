package org.hesspec.model.zoo;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** The forward pass of a {@link ResNet18}. */
final class ResNet18Graph {
  private ResNet18Graph() {}

  private static final Init.Kind HE = Init.Kind.HE_NORMAL;

  static Operand<TFloat32> logits(ResNet18 spec, Layers l, Operand<TFloat32> x) {
    int w = spec.baseWidth();
    Layers stem = l.child("stem");
    Operand<TFloat32> h = stem.relu(stem.batchNorm("bn", stem.conv("conv", x, 3, w, 1, "SAME", false, HE)));
    int[] widths = {w, 2 * w, 4 * w, 8 * w};
    for (int s = 0; s < 4; s++) {
      Layers stage = l.child("stage_" + (s + 1));
      for (int b = 0; b < 2; b++) {
        int stride = (s > 0 && b == 0) ? 2 : 1;
        h = basicBlock(stage.child("block_" + b), h, widths[s], stride);
      }
    }
    h = l.globalAveragePool(h);
    return l.dense("dense", h, spec.numClasses(), Init.Kind.GLOROT_UNIFORM);
  }

  /** conv3x3-bn-relu-conv3x3-bn plus the shortcut (projected when the shape changes), then relu. */
  private static Operand<TFloat32> basicBlock(Layers l, Operand<TFloat32> x, int width, int stride) {
    Operand<TFloat32> h = l.relu(l.batchNorm("bn_0", l.conv("conv_0", x, 3, width, stride, "SAME", false, HE)));
    h = l.batchNorm("bn_1", l.conv("conv_1", h, 3, width, 1, "SAME", false, HE));
    long in = x.shape().get(x.shape().numDimensions() - 1);
    Operand<TFloat32> shortcut = x;
    if (stride != 1 || in != width) {
      Layers sc = l.child("shortcut");
      shortcut = sc.batchNorm("bn", sc.conv("conv", x, 1, width, stride, "SAME", false, HE));
    }
    return l.relu(l.tf().math.add(h, shortcut));
  }
}
