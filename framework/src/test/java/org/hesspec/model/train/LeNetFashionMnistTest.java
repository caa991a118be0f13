package org.hesspec.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.hesspec.data.Dataset;
import org.hesspec.model.zoo.LeNet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LeNet fits 100 Fashion-MNIST images per class and survives the SavedModel round trip. */
class LeNetFashionMnistTest {

  @TempDir Path tmp;

  @Test
  void fitsTrainingSetAndRoundTrips() throws Exception {
    Assumptions.assumeTrue(TestData.fashionMnistPresent(),
        "Fashion-MNIST not found in " + TestData.FASHION_MNIST + " (apt-get install dataset-fashion-mnist)");
    Dataset train = TestData.fashionMnist("train", 100);
    Dataset test = TestData.fashionMnist("t10k", 50);
    LeNet arch = LeNet.of(List.of(28, 28, 1), 10);
    TrainingConfig config = TrainingConfig.defaults(11).withEpochs(100).withBatchSize(50)
        .withSchedule(new LearningRateSchedule.Cosine(0.05, 0.0)).withThreads(2, 1);
    // Print every 10th epoch only.
    TrainingListener console = TrainingListener.console();
    TrainedModel model = new Trainer(config, r -> {
      if (r.epoch() % 10 == 0 || r.train().accuracy() >= 1.0) {
        console.onEpoch(r);
      }
    }).train(arch, train, test);
    System.out.printf("LeNet on Fashion-MNIST (1000 images): %d epochs, %.2f s, train acc %.4f loss %.4g, test acc %.4f%n",
        model.epochsRun(), model.duration().toMillis() / 1e3, model.train().accuracy(), model.train().loss(), model.test().accuracy());
    assertTrue(model.train().accuracy() >= 0.99, "train accuracy " + model.train().accuracy());
    assertTrue(model.test().accuracy() > 0.6, "test accuracy " + model.test().accuracy());

    float[] before;
    try (InferenceModel serving = InferenceModel.of(model)) {
      before = serving.logits(train, 250);
    }
    // The serving graph computes what the training graph evaluated (exact up to the summation
    // order, which TensorFlow's thread count may change).
    Metrics served = Metrics.of(before, train.labels(), 10);
    assertEquals(model.train().accuracy(), served.accuracy());
    assertEquals(model.train().loss(), served.loss(), 1e-5 * model.train().loss() + 1e-9);
    Path dir = new SavedModelExporter().export(model, tmp.resolve("lenet"));
    try (LoadedModel loaded = new LoadedModel(dir)) {
      assertArrayEquals(before, loaded.logits(train));
      TreeMap<String, float[]> vars = loaded.variables();
      assertEquals(10, vars.size());
      assertArrayEquals(ModelState.flatten(model.state().parametersByName()), LoadedModel.concat(vars.values()));
      assertTrue(loaded.opTypes().contains("MaxPool"));
      assertTrue(!loaded.opTypes().contains("BiasAdd"));
    }
  }
}
