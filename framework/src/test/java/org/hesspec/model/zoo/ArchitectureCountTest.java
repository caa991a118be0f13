package org.hesspec.model.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;

/** Parameter counts and names, checked against counts worked out by hand from the papers. */
class ArchitectureCountTest {

  @Test
  void mlpCountAndNames() {
    Mlp mlp = Mlp.of(100, List.of(30, 30), Activation.RELU, 10);
    List<ParameterSpec> specs = NetworkBuilder.parameterSpecs(mlp);
    assertEquals(List.of("dense_0/kernel", "dense_0/bias", "dense_1/kernel", "dense_1/bias", "dense_2/kernel", "dense_2/bias"),
        specs.stream().map(ParameterSpec::name).toList());
    assertEquals(100 * 30 + 30 + 30 * 30 + 30 + 30 * 10 + 10, NetworkBuilder.parameterCount(mlp));
  }

  @Test
  void lenetCounts() {
    // 28x28: conv5 valid -> 24, pool -> 12, conv5 -> 8, pool -> 4: 4*4*16 = 256 features.
    long fmnist = (5 * 5 * 1 * 6 + 6) + (5 * 5 * 6 * 16 + 16) + (256 * 120 + 120) + (120 * 84 + 84) + (84 * 10 + 10);
    assertEquals(44_426, fmnist);
    assertEquals(fmnist, NetworkBuilder.parameterCount(LeNet.of(List.of(28, 28, 1), 10)));
    // 32x32x3: 28 -> 14 -> 10 -> 5: 400 features, the original LeNet-5 layout.
    long cifar = (5 * 5 * 3 * 6 + 6) + (5 * 5 * 6 * 16 + 16) + (400 * 120 + 120) + (120 * 84 + 84) + (84 * 10 + 10);
    assertEquals(62_006, cifar);
    assertEquals(cifar, NetworkBuilder.parameterCount(LeNet.of(List.of(32, 32, 3), 10)));
  }

  @Test
  void vgg11FullWidthHasPapyansCount() {
    long convs = (3 * 3 * 3 * 64 + 64) + (3 * 3 * 64 * 128 + 128) + (3 * 3 * 128 * 256 + 256) + (3 * 3 * 256 * 256 + 256)
        + (3 * 3 * 256 * 512 + 512) + 3L * (3 * 3 * 512 * 512 + 512);
    long classifier = (512 * 4096 + 4096) + (4096L * 4096 + 4096) + (4096 * 10 + 10);
    assertEquals(28_144_010L, convs + classifier);
    Vgg11 vgg = Vgg11.cifar(10);
    List<ParameterSpec> specs = NetworkBuilder.parameterSpecs(vgg);
    assertEquals(22, specs.size()); // 8 convs + 3 dense, kernel and bias each
    assertEquals(28_144_010L, NetworkBuilder.parameterCount(vgg));
    assertEquals("conv_7/kernel", specs.get(14).name());
    assertEquals(List.of(512L, 4096L), List.of(specs.get(16).shape()[0], specs.get(16).shape()[1]));
  }

  @Test
  void resnet18HasTheCifarCount() {
    // stem conv + bn(gamma, beta)
    long stem = 3 * 3 * 3 * 64 + 2 * 64;
    long count = stem;
    int in = 64;
    for (int width : new int[] {64, 128, 256, 512}) {
      for (int b = 0; b < 2; b++) {
        count += 9L * in * width + 2 * width; // conv_0 + bn_0
        count += 9L * width * width + 2 * width; // conv_1 + bn_1
        if (in != width) {
          count += (long) in * width + 2 * width; // 1x1 projection + bn
        }
        in = width;
      }
    }
    count += 512 * 10 + 10;
    assertEquals(11_173_962L, count); // the usual figure for CIFAR ResNet18
    assertEquals(count, NetworkBuilder.parameterCount(ResNet18.cifar(10)));
  }

  @Test
  void namesAreUniqueAndEveryParameterIsAVariableV2() {
    try (Graph g = new Graph()) {
      Network net = NetworkBuilder.training(g, ResNet18.cifar(10));
      Set<String> names = new HashSet<>();
      for (ParameterSpec s : net.parameterSpecs()) {
        assertTrue(names.add(s.name()), "duplicate " + s.name());
        GraphOperation op = g.operation(s.name());
        assertEquals("VariableV2", op.type(), s.name());
      }
      assertEquals("stem/conv/kernel", net.parameterSpecs().get(0).name());
      assertTrue(names.contains("stage_2/block_0/shortcut/conv/kernel"));
      assertTrue(names.contains("stage_4/block_1/bn_1/gamma"));
      assertEquals("dense/bias", net.parameterSpecs().get(net.parameters().size() - 1).name());
      // 20 batch norms, two statistics each
      assertEquals(40, net.statistics().size());
      assertEquals(40, net.statisticUpdates().size());
      // no variables beyond parameters and statistics; FusedBatchNorm only in the training path
      // (batch statistics); the inference path is plain arithmetic (it has no second derivative)
      int variables = 0;
      int fused = 0;
      for (var it = g.operations(); it.hasNext(); ) {
        GraphOperation op = it.next();
        if (op.type().startsWith("Variable")) {
          variables++;
        }
        if (op.type().startsWith("FusedBatchNorm")) {
          fused++;
          assertTrue(op.name().startsWith("train/"), op.name());
        }
      }
      assertEquals(20, fused);
      assertEquals(net.parameters().size() + net.statistics().size(), variables);
    }
  }

  @Test
  void specsRejectNonsense() {
    assertThrows(IllegalArgumentException.class, () -> Mlp.of(0, List.of(3), Activation.RELU, 10));
    assertThrows(IllegalArgumentException.class, () -> Mlp.of(4, List.of(3), Activation.RELU, 1));
    assertThrows(IllegalArgumentException.class, () -> new Vgg11(List.of(32, 32), 1.0, 10));
    assertThrows(IllegalArgumentException.class, () -> new Vgg11(List.of(32, 32, 3), 0.0, 10));
    assertThrows(IllegalArgumentException.class, () -> new LeNet(List.of(8, 8, 1), 6, 16, Activation.RELU, 10));
    assertThrows(IllegalArgumentException.class, () -> Mlp.of(4, List.of(3), Activation.RELU, 10).requireInput(new int[] {5}));
  }
}
