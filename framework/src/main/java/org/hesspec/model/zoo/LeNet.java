package org.hesspec.model.zoo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LeNet-5 style CNN: conv5x5(c1)-act-maxpool2-conv5x5(c2)-act-maxpool2-fc120-act-fc84-act-fc C.
 * Convolutions use VALID padding (28x28 inputs give 4x4x16 features before the dense layers,
 * 32x32 inputs 5x5x16 as in the original). Parameters {@code conv_0}, {@code conv_1},
 * {@code dense_0}, {@code dense_1}, {@code dense_2}, each with {@code kernel} and {@code bias}.
 *
 * @param inputShape [height, width, channels], e.g. [28, 28, 1] or [32, 32, 3]
 * @param conv1Channels output channels of the first convolution (6 in LeNet-5)
 * @param conv2Channels output channels of the second convolution (16 in LeNet-5)
 * @param activation nonlinearity after every hidden layer
 * @param numClasses C
 */
public record LeNet(List<Integer> inputShape, int conv1Channels, int conv2Channels, Activation activation, int numClasses)
    implements Architecture {

  public LeNet {
    inputShape = Specs.imageShape("lenet", inputShape);
    if (inputShape.get(0) < 16 || inputShape.get(1) < 16) {
      throw new IllegalArgumentException("lenet needs inputs of at least 16x16, got " + inputShape);
    }
    if (conv1Channels <= 0 || conv2Channels <= 0) {
      throw new IllegalArgumentException("lenet channel counts must be positive");
    }
    if (activation == null) {
      throw new IllegalArgumentException("lenet activation is missing");
    }
    Specs.classes(numClasses);
  }

  /** The classic 6/16-channel LeNet with ReLU. */
  public static LeNet of(List<Integer> inputShape, int numClasses) {
    return new LeNet(inputShape, 6, 16, Activation.RELU, numClasses);
  }

  @Override
  public String kind() {
    return "lenet";
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", kind());
    m.put("input_shape", inputShape);
    m.put("conv1_channels", conv1Channels);
    m.put("conv2_channels", conv2Channels);
    m.put("activation", activation.key());
    m.put("classes", numClasses);
    return m;
  }
}
