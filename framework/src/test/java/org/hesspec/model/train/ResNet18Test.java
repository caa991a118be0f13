package org.hesspec.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.hesspec.data.Dataset;
import org.hesspec.model.zoo.ResNet18;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ResNet18: batch norm in training and inference mode, statistics updates, serving form. */
class ResNet18Test {

  @TempDir Path tmp;

  private static final TrainingConfig CONFIG = TrainingConfig.defaults(21).withThreads(2, 1);

  @Test
  void fullWidthForwardInBothModes() {
    ResNet18 arch = ResNet18.cifar(10);
    Dataset batch = TestData.noiseImages(2, new int[] {32, 32, 3}, 10, 6);
    try (TrainingGraph g = new TrainingGraph(arch, CONFIG)) {
      assertEquals(11_173_962L, g.network().parameterCount());
      ModelState initial = ModelState.initial(g.network(), 21);
      g.initialise(initial);
      float[] train = g.trainingLogits(batch);
      float[] inference = g.logits(batch, 2);
      assertEquals(20, train.length);
      assertEquals(20, inference.length);
      for (int i = 0; i < 20; i++) {
        assertTrue(Float.isFinite(train[i]) && Float.isFinite(inference[i]));
      }
      // Batch statistics of one batch are not the initial moving statistics (0, 1).
      assertFalse(java.util.Arrays.equals(train, inference));

      g.updateStatistics(batch);
      ModelState after = g.state();
      assertEquals(initial.parameters(), after.parameters(), "updating statistics must not touch parameters");
      NamedTensor mean = after.statistics().get(0);
      NamedTensor variance = after.statistics().get(1);
      assertEquals("stem/bn/moving_mean", mean.name());
      assertEquals("stem/bn/moving_variance", variance.name());
      assertNotEquals(initial.statistics().get(0), mean);
      assertNotEquals(initial.statistics().get(1), variance);

      // The serving graph (statistics as constants) computes what the training graph's inference path does.
      try (InferenceModel serving = InferenceModel.of(arch, after)) {
        assertArrayEquals(g.logits(batch, 2), serving.logits(batch, 2));
      }
    }
  }

  @Test
  void movingStatisticsConvergeToTheBatchStatistics() {
    // Parameters fixed, statistics updated many times on one batch: inference mode then normalises
    // with (almost) the batch statistics, so both modes agree up to the unbiased-variance factor
    // m/(m-1) (m = examples x positions; >= 256 here). A wrong inference formula would differ at O(1).
    ResNet18 arch = new ResNet18(List.of(16, 16, 3), 8, 10);
    Dataset batch = TestData.noiseImages(64, new int[] {16, 16, 3}, 10, 7);
    try (TrainingGraph g = new TrainingGraph(arch, CONFIG)) {
      g.initialise(ModelState.initial(g.network(), 21));
      for (int i = 0; i < 200; i++) {
        g.updateStatistics(batch);
      }
      float[] train = g.trainingLogits(batch);
      float[] inference = g.logits(batch, 64);
      double maxAbs = 0;
      double maxDiff = 0;
      for (int i = 0; i < train.length; i++) {
        maxAbs = Math.max(maxAbs, Math.abs(train[i]));
        maxDiff = Math.max(maxDiff, Math.abs(train[i] - inference[i]));
      }
      System.out.printf("ResNet18 BN: max |train - inference| = %.3g, max |logit| = %.3g%n", maxDiff, maxAbs);
      assertTrue(maxDiff < 0.02 * maxAbs, "modes disagree by " + maxDiff + " on logits of size " + maxAbs);
    }
  }

  @Test
  void narrowResNetTrainsAndRoundTrips() throws Exception {
    // Width 16: at widths 2-8 TensorFlow 2.18's oneDNN corrupts the heap on AMD Zen 5 in the backward
    // pass of a stride-2 convolution and the JVM aborts (README, "Limits").
    ResNet18 arch = new ResNet18(List.of(16, 16, 3), 16, 10);
    Dataset data = TestData.noiseImages(32, new int[] {16, 16, 3}, 10, 8);
    TrainedModel model = new Trainer(CONFIG.withEpochs(2).withBatchSize(16), TrainingListener.silent()).train(arch, data);
    float[] before;
    try (InferenceModel m = InferenceModel.of(model)) {
      before = m.logits(data, 32);
    }
    Path dir = new SavedModelExporter().export(model, tmp.resolve("resnet"));
    try (LoadedModel loaded = new LoadedModel(dir)) {
      assertArrayEquals(before, loaded.logits(data));
      TreeMap<String, float[]> vars = loaded.variables();
      assertEquals(model.state().parameters().size(), vars.size(), "only parameters are variables: statistics are constants");
      assertArrayEquals(ModelState.flatten(model.state().parametersByName()), LoadedModel.concat(vars.values()));
      assertTrue(loaded.opTypes().stream().noneMatch(t -> t.startsWith("FusedBatchNorm")));
    }
  }
}
