package org.hesspec.model.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Seeded initialisation and the spec <-> description round trip. */
class SpecAndInitTest {

  @Test
  void heNormalHasTheRightScaleAndDependsOnSeedAndName() {
    Init he = new Init(Init.Kind.HE_NORMAL, 800, 100);
    float[] a = he.values("conv_0/kernel", 80_000, 7);
    double sum = 0;
    double sq = 0;
    for (float v : a) {
      sum += v;
      sq += v * v;
    }
    double mean = sum / a.length;
    double var = sq / a.length - mean * mean;
    assertEquals(0, mean, 4 * Math.sqrt(2.0 / 800 / a.length));
    assertEquals(2.0 / 800, var, 0.02 * 2.0 / 800); // standard error of the variance ~0.5%
    assertArrayEquals(a, he.values("conv_0/kernel", 80_000, 7));
    assertFalse(Arrays.equals(a, he.values("conv_0/kernel", 80_000, 8)));
    assertFalse(Arrays.equals(a, he.values("conv_1/kernel", 80_000, 7)));
  }

  @Test
  void glorotIsBoundedAndConstantsAreConstant() {
    float[] g = new Init(Init.Kind.GLOROT_UNIFORM, 30, 10).values("dense_2/kernel", 300, 1);
    double limit = Math.sqrt(6.0 / 40);
    double max = 0;
    for (float v : g) {
      max = Math.max(max, Math.abs(v));
    }
    assertTrue(max <= limit && max > 0.9 * limit, "max " + max + " limit " + limit);
    for (float v : Init.ONE.values("bn/gamma", 5, 1)) {
      assertEquals(1f, v);
    }
    for (float v : Init.ZERO.values("dense_0/bias", 5, 1)) {
      assertEquals(0f, v);
    }
  }

  @Test
  void descriptionsRoundTrip() {
    List<Architecture> all = List.of(
        Mlp.of(784, List.of(1024, 1024), Activation.TANH, 10),
        new LeNet(List.of(32, 32, 3), 8, 20, Activation.RELU, 100),
        new Vgg11(List.of(32, 32, 3), 0.25, 10),
        new ResNet18(List.of(32, 32, 3), 16, 10));
    for (Architecture a : all) {
      assertEquals(a, Architectures.fromDescription(a.describe()));
    }
  }

  @Test
  void badDescriptionsNameTheKey() {
    Map<String, Object> m = new HashMap<>(Mlp.of(4, List.of(3), Activation.RELU, 2).describe());
    m.put("depth", 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Architectures.fromDescription(m));
    assertTrue(e.getMessage().startsWith("depth:"), e.getMessage());
    m.remove("depth");
    m.put("classes", "ten");
    e = assertThrows(IllegalArgumentException.class, () -> Architectures.fromDescription(m));
    assertTrue(e.getMessage().startsWith("classes:"), e.getMessage());
    m.put("kind", "alexnet");
    e = assertThrows(IllegalArgumentException.class, () -> Architectures.fromDescription(m));
    assertTrue(e.getMessage().startsWith("kind:"), e.getMessage());
  }
}
