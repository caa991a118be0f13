package org.hesspec.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.hesspec.curvature.BatchedData;
import org.hesspec.curvature.CurvatureGraph;
import org.hesspec.curvature.Loss;
import org.hesspec.curvature.SessionSettings;
import org.hesspec.data.Dataset;
import org.junit.jupiter.api.Test;

/** The penultimate-feature tensor is found in dense heads and its values are the hidden activations. */
class FeatureTensorTest {

  static final int D = 3;
  static final int W = 4;
  static final int C = 2;

  @Test
  void findsTheInputOfTheLastDenseLayerAndEvaluatesIt() {
    ParameterLayout layout = ParameterLayout.of(List.of("w1", "b1", "w2", "b2"),
        List.of(new long[] {D, W}, new long[] {W}, new long[] {W, C}, new long[] {C}));
    double[] theta = new Random(2).doubles(layout.dimension(), -1, 1).toArray();
    ModelDefinition m = FunctionModel.build("mlp", layout, theta, new long[] {D}, C, Precision.FLOAT64, OutputKind.LOGITS,
        (tf, x, p) -> tf.math.add(tf.linalg.matMul(tf.nn.relu(tf.math.add(tf.linalg.matMul(x, p.get(0)), p.get(1))), p.get(2)), p.get(3)));
    Optional<String> found = FeatureTensor.find(m);
    assertTrue(found.isPresent(), "a dense head has features");
    float[] x = {0.5f, -1f, 2f, 1f, 1f, -0.25f};
    Dataset d = Dataset.classification("two", x, new int[] {D}, new int[] {0, 1}, C);
    try (CurvatureGraph g = new CurvatureGraph(m, Loss.CROSS_ENTROPY, m.layout(), SessionSettings.defaults());
        BatchedData b = BatchedData.of(d, 2, m.precision())) {
      double[][] h = g.tensorPerExample(found.get(), b);
      for (int i = 0; i < 2; i++) {
        for (int j = 0; j < W; j++) {
          double pre = theta[D * W + j];
          for (int k = 0; k < D; k++) {
            pre += x[i * D + k] * theta[k * W + j];
          }
          // float64 graph against float64 Java sums of 3 terms: rounding ~1e-16.
          assertEquals(Math.max(0, pre), h[i][j], 1e-12, "h[" + i + "][" + j + "]");
        }
      }
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.tensorPerExample("no_such_node:0", b));
      assertTrue(e.getMessage().contains("no_such_node:0"), e.getMessage());
    }
  }

  @Test
  void noFeaturesWhenTheOutputIsNotADenseLayer() {
    ParameterLayout layout = ParameterLayout.of(List.of("w"), List.of(new long[] {D, C}));
    double[] theta = new Random(4).doubles(layout.dimension(), -1, 1).toArray();
    // A softmax after the dense layer: the output is not z = W h + b.
    ModelDefinition probs = FunctionModel.build("probs", layout, theta, new long[] {D}, C, Precision.FLOAT64, OutputKind.PROBABILITIES,
        (tf, x, p) -> tf.nn.softmax(tf.linalg.matMul(x, p.get(0))));
    assertTrue(FeatureTensor.find(probs).isEmpty());
  }
}
