package org.hesspec.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.hesspec.curvature.BatchedData;
import org.hesspec.curvature.CurvatureGraph;
import org.hesspec.curvature.Loss;
import org.hesspec.curvature.SessionSettings;
import org.hesspec.data.Dataset;
import org.hesspec.model.ModelDefinition;
import org.hesspec.model.ParameterTensor;
import org.hesspec.model.Precision;
import org.hesspec.model.SavedModelImporter;
import org.hesspec.model.zoo.Architecture;
import org.hesspec.model.zoo.Architectures;
import org.hesspec.model.zoo.NetworkBuilder;
import org.hesspec.model.zoo.ParameterSpec;
import org.hesspec.model.zoo.ResNet18;
import org.hesspec.model.zoo.Vgg11;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Papyan's VGG11_bn: its parameters, training with batch statistics, and the inference-mode export
 * read back by the importer (where the Hessian is measured) giving the trainer's inference logits;
 * the same round trip for ResNet18.
 */
class Vgg11BnTest {

  @TempDir Path tmp;

  @Test
  void parametersFollowPapyansNetwork() {
    Vgg11 full = new Vgg11(List.of(32, 32, 3), 1.0, 10, true);
    List<ParameterSpec> specs = NetworkBuilder.parameterSpecs(full);
    // conv 3x3 with bias: sum over (in, out) of 9 in out + out
    long conv = 0;
    int in = 3;
    for (int out : new int[] {64, 128, 256, 256, 512, 512, 512, 512}) {
      conv += 9L * in * out + out + 2L * out; // kernel, bias, BN gamma and beta
      in = out;
    }
    long classifier = 512L * 4096 + 2 * 4096 + 4096L * 4096 + 2 * 4096 + 4096L * 10 + 10;
    assertEquals(conv + classifier, NetworkBuilder.parameterCount(full));
    assertEquals(28_157_706L, conv + classifier);
    List<String> names = specs.stream().map(ParameterSpec::name).toList();
    assertTrue(names.containsAll(List.of("conv_0/kernel", "conv_0/bias", "bn_0/gamma", "bn_0/beta", "dense_0/kernel",
        "dense_0/bn/gamma", "dense_1/bn/beta", "dense_2/kernel", "dense_2/bias")), names.toString());
    assertFalse(names.contains("dense_0/bias"), "the hidden classifier layers have no bias (batch norm follows)");
    // The description reads back to the same architecture.
    assertEquals(full, Architectures.fromDescription(full.describe()));
    assertEquals(new Vgg11(List.of(32, 32, 3), 1.0, 10), Architectures.fromDescription(Map.of("kind", "vgg11",
        "input_shape", List.of(32, 32, 3), "width_multiplier", 1.0, "classes", 10)));
  }

  @Test
  void trainedVgg11BnImportsWithTheTrainersInferenceLogits() throws Exception {
    roundTrip(new Vgg11(List.of(32, 32, 3), 1.0 / 16, 10, true), "bn_0/moving_mean");
  }

  @Test
  void trainedResNet18ImportsWithTheTrainersInferenceLogits() throws Exception {
    // Width 16, not 4: at widths 2-8 TensorFlow 2.18's oneDNN corrupts the heap on AMD Zen 5 in the
    // backward pass of a stride-2 convolution and the JVM aborts (README, "Limits"); 16 runs there.
    roundTrip(new ResNet18(List.of(32, 32, 3), 16, 10), "stem/bn/moving_mean");
  }

  private void roundTrip(Architecture arch, String firstStatistic) throws Exception {
    Dataset data = TestData.noiseImages(48, new int[] {32, 32, 3}, 10, 5);
    TrainingConfig c = TrainingConfig.defaults(3).withEpochs(3).withBatchSize(16).withThreads(2, 1).withTargetTrainAccuracy(Double.NaN)
        .withSchedule(LearningRateSchedule.MultiStep.thirds(0.05, 3)).withWeightDecay(5e-4);
    TrainedModel model = new Trainer(c, TrainingListener.silent()).train(arch, data);
    // Training moved the batch-norm statistics away from (0, 1): the folding is exercised.
    NamedTensor mean = model.state().statistics().get(0);
    assertEquals(firstStatistic, mean.name());
    assertTrue(Math.abs(mean.values()[0]) > 1e-4, "moving mean still at its initial value");
    float[] trainer;
    try (TrainingGraph g = new TrainingGraph(arch, c)) {
      g.initialise(model.state());
      trainer = g.logits(data, 48);
      assertFalse(java.util.Arrays.equals(trainer, g.trainingLogits(data)), "inference and batch-statistics logits coincide");
    }
    Path dir = new SavedModelExporter().export(model, tmp.resolve(arch.kind()));
    ModelDefinition m64 = SavedModelImporter.load(dir, SavedModelImporter.Options.defaults().withPrecision(Precision.FLOAT64));
    assertEquals(model.state().parameterCount(), m64.dimension(), "statistics became parameters");
    assertTrue(m64.layout().tensors().stream().map(ParameterTensor::name).noneMatch(n -> n.contains("moving")));
    double[][] imported;
    try (CurvatureGraph g = new CurvatureGraph(m64, Loss.CROSS_ENTROPY, m64.layout(), SessionSettings.defaults());
        BatchedData d = BatchedData.of(data, 48, Precision.FLOAT64)) {
      imported = g.logits(d);
    }
    double maxDiff = 0;
    double maxAbs = 0;
    for (int i = 0; i < imported.length; i++) {
      for (int k = 0; k < 10; k++) {
        maxDiff = Math.max(maxDiff, Math.abs(imported[i][k] - trainer[i * 10 + k]));
        maxAbs = Math.max(maxAbs, Math.abs(imported[i][k]));
      }
    }
    System.out.printf(arch.kind() + ": float64 import vs trainer float32 inference logits: max diff %.3g (max |logit| %.3g)%n",
        maxDiff, maxAbs);
    // The same function in float64 and float32: float32 rounding (6e-8 relative) accumulated over
    // 11-18 layers with sums of up to 4608 terms; measured <= 8e-7 of the largest logit (ResNet-18
    // at width 16), bound 1e-5. A wrong folding (batch instead of moving statistics, a missing
    // epsilon) differs at O(1e-2).
    assertTrue(maxDiff <= 1e-5 * maxAbs, "float64 import differs from the trainer by " + maxDiff + " (max |logit| " + maxAbs + ")");
  }
}
