package org.hesspec.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.hesspec.data.Dataset;
import org.hesspec.model.zoo.Activation;
import org.hesspec.model.zoo.Mlp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Train a small MLP on a Gaussian mixture, export it, load it back as a user would. */
class MlpRoundTripTest {

  @TempDir Path tmp;

  @Test
  void trainsToTargetExportsAndReloadsBitIdentically() throws Exception {
    Dataset train = TestData.gaussianMixture(10, 100, 100, 0.4, 1, 2);
    Dataset test = TestData.gaussianMixture(10, 100, 50, 0.4, 1, 3);
    Mlp arch = Mlp.of(100, List.of(30, 30), Activation.RELU, 10);
    TrainingConfig config = TrainingConfig.defaults(7).withEpochs(60).withBatchSize(50)
        .withSchedule(new LearningRateSchedule.Constant(0.05)).withThreads(2, 1);
    List<EpochReport> reports = new java.util.ArrayList<>();
    TrainedModel model = new Trainer(config, r -> {
      reports.add(r);
      TrainingListener.console().onEpoch(r);
    }).train(arch, train, test);

    assertTrue(model.train().accuracy() >= 0.99, "train accuracy " + model.train().accuracy());
    assertTrue(model.reachedTarget(), "target 100% not reached in " + model.epochsRun() + " epochs");
    assertEquals(model.epochsRun(), reports.size());
    assertEquals(model.train(), reports.get(reports.size() - 1).train());
    assertTrue(model.test().accuracy() > 0.9, "test accuracy " + model.test().accuracy());
    assertEquals(100 * 30 + 30 + 30 * 30 + 30 + 30 * 10 + 10, model.state().parameterCount());
    System.out.printf("MLP 100-30-30-10: %d epochs, %.2f s, train acc %.4f loss %.4g, test acc %.4f%n",
        model.epochsRun(), model.duration().toMillis() / 1e3, model.train().accuracy(), model.train().loss(), model.test().accuracy());

    float[] before;
    try (InferenceModel serving = InferenceModel.of(model)) {
      before = serving.logits(train, 1000);
    }
    // The serving graph computes what the training graph evaluated (exact up to the summation
    // order, which TensorFlow's thread count may change).
    Metrics served = Metrics.of(before, train.labels(), 10);
    assertEquals(model.train().accuracy(), served.accuracy());
    assertEquals(model.train().loss(), served.loss(), 1e-5 * model.train().loss() + 1e-9);

    Path dir = new SavedModelExporter().export(model, tmp.resolve("models/mlp"));
    assertTrue(Files.isRegularFile(dir.resolve("saved_model.pb")));
    assertTrue(Files.isRegularFile(dir.resolve("variables/variables.index")));
    try (Stream<Path> s = Files.list(dir.getParent())) {
      assertEquals(List.of(dir), s.toList(), "temporary folders left behind");
    }
    String json = Files.readString(dir.resolve("hesspec-model.json"), StandardCharsets.UTF_8);
    assertTrue(json.contains("\"parameter_count\": 4270"), json);
    assertTrue(json.contains("\"kind\": \"mlp\""), json);
    assertTrue(json.contains("\"seed\": 7"), json);
    assertTrue(json.contains("\"accuracy\": " + model.train().accuracy()), json);

    try (LoadedModel loaded = new LoadedModel(dir)) {
      assertArrayEquals(before, loaded.logits(train), "logits changed by the round trip");
      TreeMap<String, float[]> vars = loaded.variables();
      assertEquals(model.state().parametersByName().stream().map(NamedTensor::name).toList(), List.copyOf(vars.keySet()),
          "the SavedModel must hold exactly the parameters (no optimizer slots)");
      assertArrayEquals(ModelState.flatten(model.state().parametersByName()), LoadedModel.concat(vars.values()));
      assertFalse(loaded.opTypes().contains("ApplyMomentum"));
      // d(sum of logits)/d(last bias) = number of examples, for every class: the loaded graph
      // differentiates with respect to its parameters.
      float[] g = loaded.gradientOfLogitSum(train, "dense_2/bias");
      for (float v : g) {
        assertEquals(train.size(), v, 1e-3);
      }
    }

    assertThrows(FileAlreadyExistsException.class, () -> new SavedModelExporter().export(model, dir));
    new SavedModelExporter(true).export(model, dir);
    try (LoadedModel loaded = new LoadedModel(dir)) {
      assertArrayEquals(before, loaded.logits(train));
    }
  }
}
