package org.hesspec.model.zoo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * VGG11 (configuration "A" of Simonyan and Zisserman) as used on CIFAR-10 by Papyan: 3x3
 * convolutions with bias and ReLU, {@code 64, M, 128, M, 256, 256, M, 512, 512, M, 512, 512, M}
 * (M = 2x2 max-pool, stride 2, SAME padding so that odd sizes round up), then a classifier
 * {@code flat -> 4096 -> 4096 -> C} with ReLU. Every width is multiplied by {@code widthMultiplier}
 * (rounded, at least 1). No dropout: the network is deterministic in training as at inference.
 * Parameters {@code conv_0} ... {@code conv_7}, {@code dense_0} ... {@code dense_2}, each with
 * {@code kernel} and {@code bias}. At full width on 32x32x3 inputs with 10 classes it has
 * 28,144,010 parameters.
 *
 * <p>With {@code batchNorm} it is Papyan's {@code VGG11_bn} (2019, "Measurements of three-level
 * hierarchical structure in the outliers in the spectrum of deepnet Hessians", code of the paper):
 * every convolution (with bias) is followed by batch norm ({@code bn_<i>}) and ReLU; the two hidden
 * classifier layers have no bias and are followed by batch norm ({@code dense_0/bn},
 * {@code dense_1/bn}) and ReLU; the last layer has a bias. Initialisation as in that code:
 * convolutions N(0, 2 / (9 * out channels)), dense kernels N(0, 0.01^2), biases 0, batch-norm
 * scales 1 and shifts 0. No dropout. 28,157,706 trainable parameters at full width, 32x32x3 and
 * 10 classes.
 *
 * @param inputShape [height, width, channels], e.g. [32, 32, 3]
 * @param widthMultiplier 1.0 for the published widths; smaller for tests and quick studies
 * @param numClasses C
 * @param batchNorm Papyan's VGG11_bn (see above) instead of the plain network
 */
public record Vgg11(List<Integer> inputShape, double widthMultiplier, int numClasses, boolean batchNorm) implements Architecture {

  /** The convolution widths at full width; 0 marks a max-pool. */
  static final List<Integer> FEATURES = List.of(64, 0, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0);

  /** Width of the two hidden classifier layers at full width. */
  static final int CLASSIFIER_WIDTH = 4096;

  public Vgg11 {
    inputShape = Specs.imageShape("vgg11", inputShape);
    Specs.multiplier(widthMultiplier);
    Specs.classes(numClasses);
  }

  /** The plain network (no batch norm). */
  public Vgg11(List<Integer> inputShape, double widthMultiplier, int numClasses) {
    this(inputShape, widthMultiplier, numClasses, false);
  }

  /** Full-width VGG11 for CIFAR-sized inputs (32x32x3). */
  public static Vgg11 cifar(int numClasses) {
    return new Vgg11(List.of(32, 32, 3), 1.0, numClasses);
  }

  @Override
  public String kind() {
    return "vgg11";
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", kind());
    m.put("input_shape", inputShape);
    m.put("width_multiplier", widthMultiplier);
    m.put("classes", numClasses);
    if (batchNorm) {
      m.put("batch_norm", true);
    }
    return m;
  }
}
