package org.hesspec.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.hesspec.data.Dataset;
import org.hesspec.model.zoo.Activation;
import org.hesspec.model.zoo.Architecture;
import org.hesspec.model.zoo.LeNet;
import org.hesspec.model.zoo.Mlp;
import org.junit.jupiter.api.Test;

/** Same seed, same machine: the same trained weights bit for bit; another seed: other weights. */
class DeterminismTest {

  private static TrainedModel train(Architecture arch, Dataset data, long seed) {
    // A fixed epoch count (no target) so that both runs do the same number of steps.
    TrainingConfig c = TrainingConfig.defaults(seed).withEpochs(3).withBatchSize(32).withTargetTrainAccuracy(Double.NaN)
        .withSchedule(new LearningRateSchedule.Cosine(0.05, 0.001)).withWeightDecay(5e-4).withThreads(2, 1);
    return new Trainer(c, TrainingListener.silent()).train(arch, data);
  }

  @Test
  void mlpIsReproducible() {
    Dataset data = TestData.gaussianMixture(10, 100, 30, 0.4, 1, 2);
    Mlp arch = Mlp.of(100, List.of(30, 30), Activation.TANH, 10);
    TrainedModel a = train(arch, data, 5);
    TrainedModel b = train(arch, data, 5);
    TrainedModel c = train(arch, data, 6);
    assertEquals(a.state(), b.state());
    assertEquals(a.train(), b.train());
    assertNotEquals(a.state().parameters().get(0), c.state().parameters().get(0));
    // training moved the weights away from the initial ones
    assertNotEquals(ModelState.initial(arch, 5).parameters().get(0), a.state().parameters().get(0));
  }

  @Test
  void cnnIsReproducible() {
    Dataset data = TestData.noiseImages(96, new int[] {28, 28, 1}, 10, 3);
    LeNet arch = LeNet.of(List.of(28, 28, 1), 10);
    TrainedModel a = train(arch, data, 5);
    TrainedModel b = train(arch, data, 5);
    TrainedModel c = train(arch, data, 6);
    assertEquals(a.state(), b.state());
    assertNotEquals(a.state().parameters().get(0), c.state().parameters().get(0));
  }
}
