package org.hesspec.model.zoo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CIFAR variant of ResNet18 (He et al. 2016): a 3x3 stride-1 stem convolution with batch norm
 * and ReLU (no max-pool), four stages of two basic blocks with widths {@code w, 2w, 4w, 8w}
 * ({@code w = baseWidth}, 64 in the paper), stride 2 at the start of stages 2-4 with a 1x1
 * convolution + batch norm on the shortcut, global average pooling and a dense layer to C logits.
 * Convolutions have no bias (batch norm follows each). At {@code baseWidth} 64 on 32x32x3 inputs
 * with 10 classes it has 11,173,962 trainable parameters.
 *
 * <p>Names: {@code stem/conv/kernel}, {@code stem/bn/gamma}, {@code stem/bn/beta},
 * {@code stage_<s>/block_<b>/conv_<i>/kernel}, {@code stage_<s>/block_<b>/bn_<i>/{gamma,beta}},
 * {@code stage_<s>/block_0/shortcut/conv/kernel}, {@code .../shortcut/bn/...},
 * {@code dense/kernel}, {@code dense/bias}; batch-norm statistics (not parameters) are
 * {@code .../bn.../moving_mean} and {@code .../moving_variance}.
 *
 * @param inputShape [height, width, channels], e.g. [32, 32, 3]
 * @param baseWidth channels of the stem and the first stage (64 in the paper)
 * @param numClasses C
 */
public record ResNet18(List<Integer> inputShape, int baseWidth, int numClasses) implements Architecture {

  public ResNet18 {
    inputShape = Specs.imageShape("resnet18", inputShape);
    if (baseWidth <= 0) {
      throw new IllegalArgumentException("resnet18 base width must be positive, got " + baseWidth);
    }
    Specs.classes(numClasses);
  }

  /** The published network for CIFAR-sized inputs (32x32x3). */
  public static ResNet18 cifar(int numClasses) {
    return new ResNet18(List.of(32, 32, 3), 64, numClasses);
  }

  @Override
  public String kind() {
    return "resnet18";
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", kind());
    m.put("input_shape", inputShape);
    m.put("base_width", baseWidth);
    m.put("classes", numClasses);
    return m;
  }
}
