package org.hesspec.model.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Each reference architecture builds its own spec from the experiment's choices, under its file name. */
class ReferenceArchitectureTest {

  private static final ReferenceArchitecture.Options OPTIONS =
      new ReferenceArchitecture.Options(List.of(16, 8), Activation.TANH, 0.25);

  @Test
  void eachBuildsItsSpec() {
    List<Integer> vector = List.of(20);
    List<Integer> image = List.of(32, 32, 3);
    assertEquals(new Mlp(vector, List.of(16, 8), Activation.TANH, 10), ReferenceArchitecture.MLP.build(vector, 10, OPTIONS));
    assertEquals(new LeNet(image, 6, 16, Activation.TANH, 10), ReferenceArchitecture.LENET.build(image, 10, OPTIONS));
    assertEquals(new Vgg11(image, 0.25, 10, false), ReferenceArchitecture.VGG11.build(image, 10, OPTIONS));
    assertEquals(new Vgg11(image, 0.25, 10, true), ReferenceArchitecture.VGG11_BN.build(image, 10, OPTIONS));
    // base width max(1, round(64 x 0.25)) = 16; a tiny multiplier still leaves one channel
    assertEquals(new ResNet18(image, 16, 10), ReferenceArchitecture.RESNET18.build(image, 10, OPTIONS));
    assertEquals(new ResNet18(image, 1, 10),
        ReferenceArchitecture.RESNET18.build(image, 10, new ReferenceArchitecture.Options(List.of(), Activation.RELU, 0.001)));
  }

  @Test
  void namesAreTheExperimentFilesOnes() {
    assertEquals(List.of("mlp", "lenet", "vgg11", "vgg11_bn", "resnet18"),
        List.of(ReferenceArchitecture.values()).stream().map(ReferenceArchitecture::yamlName).toList());
    assertEquals("tanh", Activation.TANH.yamlName());
  }
}
