package org.hesspec.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import org.hesspec.data.Dataset;
import org.hesspec.model.zoo.Architecture;
import org.hesspec.model.zoo.ResNet18;
import org.hesspec.model.zoo.Vgg11;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The published-width networks through the trainer (two SGD steps on CIFAR-sized inputs, so every
 * gradient and optimizer op runs at full size) and the SavedModel round trip. About 10 s on 2
 * cores, so it stays in the default suite.
 */
class FullWidthTrainingTest {

  @TempDir Path tmp;

  private void trainStepsAndRoundTrip(Architecture arch, String name) throws Exception {
    Dataset data = TestData.noiseImages(32, new int[] {32, 32, 3}, 10, 12);
    TrainingConfig c = TrainingConfig.defaults(13).withEpochs(1).withBatchSize(16).withThreads(2, 1)
        .withSchedule(new LearningRateSchedule.Constant(0.001)).withWeightDecay(5e-4);
    TrainedModel model = new Trainer(c, TrainingListener.console()).train(arch, data);
    assertNotEquals(ModelState.initial(arch, 13).parameters().get(0), model.state().parameters().get(0), "no step was taken");
    float[] before;
    try (InferenceModel m = InferenceModel.of(model)) {
      before = m.logits(data, 16);
    }
    Path dir = new SavedModelExporter().export(model, tmp.resolve(name));
    try (LoadedModel loaded = new LoadedModel(dir)) {
      assertArrayEquals(before, loaded.logits(data));
      assertArrayEquals(ModelState.flatten(model.state().parametersByName()), LoadedModel.concat(loaded.variables().values()));
    }
    System.out.printf("%s full width: 2 SGD steps + evaluation %.1f s%n", name, model.duration().toMillis() / 1e3);
  }

  @Test
  void vgg11() throws Exception {
    Vgg11 arch = Vgg11.cifar(10);
    assertEquals(28_144_010L, ModelState.initial(arch, 13).parameterCount());
    trainStepsAndRoundTrip(arch, "vgg11");
  }

  @Test
  void resnet18() throws Exception {
    trainStepsAndRoundTrip(ResNet18.cifar(10), "resnet18");
  }
}
