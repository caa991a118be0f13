package org.hesspec.experiments.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.hesspec.model.zoo.Activation;
import org.hesspec.model.zoo.ReferenceArchitecture;
import org.hesspec.experiments.config.ExperimentConfig;
import org.hesspec.experiments.config.ExperimentLoader;
import org.hesspec.experiments.config.TrainConfig;
import org.hesspec.json.Json;
import org.hesspec.model.ModelDefinition;
import org.hesspec.model.SavedModelImporter;
import org.hesspec.model.train.LearningRateSchedule;
import org.hesspec.model.train.TrainingConfig;
import org.hesspec.model.train.TrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The experiment's training keys reach the trainer as documented; checkpoints and resuming through the runner's steps. */
class ModelStepTest {

  @TempDir Path tmp;

  private static TrainConfig train(OptionalDouble target) {
    return new TrainConfig(ReferenceArchitecture.MLP, List.of(8), Activation.RELU, 1.0, TrainConfig.Optimizer.SGD,
        0.01, 0.9, 5e-4, 20, 128, TrainConfig.Schedule.STEP, target);
  }

  @Test
  void withoutTargetAccuracyEveryEpochIsTrained() {
    TrainingConfig c = ModelStep.trainingConfig(train(OptionalDouble.empty()), 1);
    assertTrue(Double.isNaN(c.targetTrainAccuracy()), "no target_train_accuracy must not stop at zero training error");
    assertTrue(Double.isNaN(c.targetTrainLoss()));
    assertEquals(20, c.epochs());
  }

  @Test
  void targetAccuracyIsPassedOn() {
    assertEquals(0.99, ModelStep.trainingConfig(train(OptionalDouble.of(0.99)), 1).targetTrainAccuracy());
  }

  @Test
  void stepIsPapyansScheduleWithExactlyTwoDrops() {
    // 20 epochs: lr/10 from epoch 6 (0-based), lr/100 from epoch 13; never a third drop.
    assertEquals(new LearningRateSchedule.MultiStep(0.01, 0.1, List.of(6, 13)), ModelStep.trainingConfig(train(OptionalDouble.empty()), 1).schedule());
  }

  @Test
  void checkpointFoldersAndTheSharedTrainingOfACheckpointSweep() throws Exception {
    Path saved = tmp.resolve("m");
    assertEquals(tmp.resolve("m@epoch-50"), ModelStep.checkpointDir(saved, "50"));
    assertEquals(tmp.resolve("m@first_zero_error"), ModelStep.checkpointDir(saved, "first_zero_error"));
    assertEquals(saved, ModelStep.checkpointDir(saved, "final"));
    assertEquals(tmp.resolve("m.training-state"), ModelStep.stateFile(saved));

    List<ExperimentConfig> one = load("sweep: {model.checkpoint: [first_zero_error, 2]}\n");
    assertEquals(List.of("", ""), one.stream().map(ModelStep::trainingSweepValue).toList());
    assertEquals(ModelStep.savedModel(one.get(0)), ModelStep.savedModel(one.get(1)), "the checkpoints of one training");
    assertEquals(ModelStep.checkpointDir(ModelStep.savedModel(one.get(0)), "2"), ModelStep.analysedModel(one.get(1)));

    List<ExperimentConfig> two = load("sweep: {model.checkpoint: [2, final], data.train.per_class: [10, 20]}\n");
    assertEquals(List.of("10", "20", "10", "20"), two.stream().map(ModelStep::trainingSweepValue).toList());
    List<ExperimentConfig> plain = load("sweep: {data.train.per_class: [10, 20]}\n");
    // The same folders as a sweep over the sample size alone: its models are reused.
    assertEquals(ModelStep.savedModel(plain.get(1)), ModelStep.savedModel(two.get(1)));
    List<ExperimentConfig> three = load("sweep: {seed: [1, 2], model.checkpoint: [2], data.train.per_class: [10, 20]}\n");
    assertEquals("seed=1;data.train.per_class=20", ModelStep.trainingSweepValue(three.get(1)));
  }

  /**
   * {@code hesspec train} on an experiment with checkpoints: they are exported with their epoch
   * and metrics; a training interrupted after its state was saved is continued by running the
   * step again, to the weights of an uninterrupted training (bit for bit), and the state file is
   * removed once the final model is exported.
   */
  @Test
  void checkpointsAreExportedAndAnInterruptedTrainingResumes() throws Exception {
    ExperimentConfig ref = load("").get(0);
    Path refDir = ModelStep.train(ref, ExperimentData.load(ref.data(), ref.seed()), TrainingListener.silent(), s -> { });

    Path other = tmp.resolve("second");
    Files.createDirectories(other);
    ExperimentConfig c = loadIn(other, "").get(0);
    ExperimentData data = ExperimentData.load(c.data(), c.seed());
    RuntimeException stop = new RuntimeException("simulated kill");
    // State every 2 epochs; stopped in the report of epoch 5: the state holds epoch 4, and epoch 5 is redone.
    assertThrows(RuntimeException.class, () -> ModelStep.train(c, data, r -> {
      if (r.epoch() == 5) {
        throw stop;
      }
    }, s -> { }, 2));
    Path dir = ModelStep.savedModel(c);
    assertFalse(ModelStep.exists(dir), "the final model must not be exported by an interrupted training");
    assertTrue(ModelStep.exists(ModelStep.checkpointDir(dir, "2")), "checkpoint epoch-2 was not exported during training");
    List<String> log = new ArrayList<>();
    TrainStep.train(c, log::add);
    assertTrue(log.get(0).startsWith("resuming the training from " + ModelStep.stateFile(dir)), log.toString());
    assertFalse(Files.exists(ModelStep.stateFile(dir)), "state file left behind");

    ModelDefinition a = SavedModelImporter.load(refDir);
    ModelDefinition b = SavedModelImporter.load(dir);
    assertArrayEquals(a.theta(), b.theta(), "resumed training differs from the uninterrupted one");

    Path ck = ModelStep.checkpointDir(refDir, "2");
    Map<?, ?> meta = (Map<?, ?>) Json.parse(Files.readString(ck.resolve("hesspec-model.json")));
    assertEquals("epoch-2", meta.get("checkpoint"));
    assertEquals(2, ((Number) ((Map<?, ?>) meta.get("training")).get("epochs_run")).intValue());
    Map<?, ?> train = (Map<?, ?>) ((Map<?, ?>) meta.get("metrics")).get("train");
    assertTrue(train.get("loss") instanceof Number && train.get("accuracy") instanceof Number, meta.toString());
    Map<?, ?> fin = (Map<?, ?>) Json.parse(Files.readString(refDir.resolve("hesspec-model.json")));
    assertEquals("final", fin.get("checkpoint"));
    assertTrue(ModelStep.exists(ModelStep.checkpointDir(refDir, "first_zero_error")), "first_zero_error not exported");
    Map<?, ?> zero = (Map<?, ?>) Json.parse(Files.readString(ModelStep.checkpointDir(refDir, "first_zero_error").resolve("hesspec-model.json")));
    assertEquals(1.0, ((Number) ((Map<?, ?>) ((Map<?, ?>) zero.get("metrics")).get("train")).get("accuracy")).doubleValue());

    // The analysed model of a point that names a checkpoint is that checkpoint's folder.
    ExperimentConfig at2 = load("", List.of("model.checkpoint=2")).get(0);
    assertEquals(ck, ModelStep.ensure(at2, ExperimentData.load(at2.data(), at2.seed()), TrainingListener.silent(), s -> { }));
  }

  private List<ExperimentConfig> load(String extra) throws Exception {
    return load(extra, List.of());
  }

  private List<ExperimentConfig> load(String extra, List<String> overrides) throws Exception {
    return loadIn(tmp, extra, overrides);
  }

  private List<ExperimentConfig> loadIn(Path dir, String extra) throws Exception {
    return loadIn(dir, extra, List.of());
  }

  private static List<ExperimentConfig> loadIn(Path dir, String extra, List<String> overrides) throws Exception {
    Path file = dir.resolve("e.yaml");
    Files.writeString(file, """
        name: ckpt
        seed: 3
        model:
          savedmodel: savedmodels/mlp
          train: {architecture: mlp, hidden: [16], epochs: 6, learning_rate: 0.05, batch_size: 16,
                  checkpoints: [first_zero_error, 2]}
        data:
          source: gaussian-mixture
          classes: 3
          dims: 10
          separation: 12
          train: {per_class: 20}
        """ + extra);
    return new ExperimentLoader().load(file, overrides);
  }
}
