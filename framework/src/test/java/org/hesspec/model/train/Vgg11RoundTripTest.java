package org.hesspec.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.hesspec.data.Dataset;
import org.hesspec.model.zoo.Vgg11;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** VGG11: full width (28.1 M parameters) through export and reload; a narrow one through training. */
class Vgg11RoundTripTest {

  @TempDir Path tmp;

  @Test
  void fullWidthForwardExportReload() throws Exception {
    long t0 = System.nanoTime();
    Vgg11 arch = Vgg11.cifar(10);
    ModelState state = ModelState.initial(arch, 3);
    assertEquals(28_144_010L, state.parameterCount());
    Dataset batch = TestData.noiseImages(2, new int[] {32, 32, 3}, 10, 4);
    float[] before;
    try (InferenceModel m = InferenceModel.of(arch, state)) {
      before = m.logits(batch, 2);
    }
    assertEquals(20, before.length);
    for (float v : before) {
      assertTrue(Float.isFinite(v));
    }
    assertTrue(before[0] != before[10], "the two inputs gave identical logits");
    Path dir = new SavedModelExporter().export(arch, state, ModelMetadata.untrained(arch, state, 3), tmp.resolve("vgg11"));
    try (LoadedModel loaded = new LoadedModel(dir)) {
      assertArrayEquals(before, loaded.logits(batch));
      TreeMap<String, float[]> vars = loaded.variables();
      assertEquals(22, vars.size());
      assertArrayEquals(ModelState.flatten(state.parametersByName()), LoadedModel.concat(vars.values()));
    }
    System.out.printf("VGG11 full width: init + forward + export + reload %.1f s%n", (System.nanoTime() - t0) / 1e9);
  }

  @Test
  void narrowVggTrainsAndRoundTrips() throws Exception {
    Vgg11 arch = new Vgg11(List.of(32, 32, 3), 0.125, 10);
    Dataset data = TestData.noiseImages(40, new int[] {32, 32, 3}, 10, 5);
    TrainingConfig c = TrainingConfig.defaults(9).withEpochs(3).withBatchSize(20).withThreads(2, 1)
        .withSchedule(new LearningRateSchedule.Step(0.01, 0.5, 1));
    TrainedModel model = new Trainer(c, TrainingListener.silent()).train(arch, data);
    assertEquals(3, model.epochsRun());
    float[] before;
    try (InferenceModel m = InferenceModel.of(model)) {
      before = m.logits(data, 40);
    }
    Path dir = new SavedModelExporter().export(model, tmp.resolve("vgg-narrow"));
    try (LoadedModel loaded = new LoadedModel(dir)) {
      assertArrayEquals(before, loaded.logits(data));
    }
  }
}
