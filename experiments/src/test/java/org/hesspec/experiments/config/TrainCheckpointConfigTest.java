package org.hesspec.experiments.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import org.hesspec.model.zoo.ReferenceArchitecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** model.train.checkpoints, target_train_loss, vgg11_bn and model.checkpoint (also swept). */
class TrainCheckpointConfigTest {

  @TempDir Path tmp;

  private static final String BASE = """
      name: ckpt
      model:
        savedmodel: savedmodels/new-model
        train: {architecture: vgg11_bn, width_multiplier: 0.125, epochs: 200, target_train_loss: 1e-3,
                checkpoints: [first_zero_error, 50, 100, 200]}
      data:
        source: gaussian-mixture
        classes: 4
        dims: 20
        separation: 2.5
        train: {per_class: 10}
      """;

  private List<ExperimentConfig> load(String text) throws ConfigException {
    return new ExperimentLoader(Fixture.CHECKER).load(new Fixture(tmp).write("e.yaml", text));
  }

  @Test
  void checkpointsAndLossTargetAreRead() throws Exception {
    ExperimentConfig c = load(BASE).get(0);
    TrainConfig t = c.model().train().orElseThrow();
    assertEquals(ReferenceArchitecture.VGG11_BN, t.architecture());
    assertEquals(List.of("first_zero_error", "50", "100", "200"), t.checkpoints());
    assertEquals(OptionalDouble.of(1e-3), t.targetTrainLoss());
    assertEquals(TrainConfig.FINAL, c.model().checkpoint());
  }

  /** The new keys round-trip through run.json (what --resume compares). */
  @Test
  void newKeysRoundTripThroughJson() throws Exception {
    Fixture fx = new Fixture(tmp);
    ExperimentLoader loader = new ExperimentLoader(Fixture.CHECKER);
    for (String override : List.of("model.checkpoint=50", "model.checkpoint=first_zero_error", "model.checkpoint=final")) {
      List<ExperimentConfig> original = loader.load(fx.write("e.yaml", BASE), List.of(override));
      String json = org.hesspec.json.Json.write(original.get(0).toMap());
      assertEquals(original, loader.load(fx.write("e.yaml", json)), override + " did not round-trip:\n" + json);
    }
  }

  @Test
  void sweepOverCheckpointsGivesOnePointPerCheckpoint() throws Exception {
    List<ExperimentConfig> points = load(BASE + """
        sweep:
          model.checkpoint: [first_zero_error, 50, 200, final]
        """);
    assertEquals(List.of("first_zero_error", "50", "200", "final"), points.stream().map(p -> p.model().checkpoint()).toList());
    assertEquals(List.of("first_zero_error", "50", "200", "final"), points.stream().map(ExperimentConfig::sweepValue).toList());
  }

  @Test
  void aCheckpointTheTrainingDoesNotExportIsAnError() {
    ConfigException e = Errs.load(new Fixture(tmp).write("e.yaml", BASE + """
        sweep:
          model.checkpoint: [50, 75]
        """), List.of());
    ConfigError err = Errs.at(e, "model.checkpoint");
    Errs.contains(err.message(), "checkpoint 75 is not exported by the training");
    Errs.contains(err.message(), "[first_zero_error, 50, 100, 200]");
    Errs.contains(err.message(), "[sweep point 75]");
    assertEquals(1, e.errors().size(), e.getMessage());
  }

  @Test
  void badCheckpointValuesAreNamed() {
    ConfigException e = Errs.load(new Fixture(tmp).write("e.yaml", BASE.replace("[first_zero_error, 50, 100, 200]",
        "[first_zero_eror, 300]")), List.of("model.checkpoint=last"));
    Errs.contains(Errs.at(e, "model.train.checkpoints[0]").message(), "did you mean 'first_zero_error'?");
    Errs.contains(Errs.at(e, "model.checkpoint").message(), "expected first_zero_error, a positive epoch number or final");
    ConfigException late = Errs.load(new Fixture(tmp).write("e2.yaml", BASE.replace("200]}", "300]}")), List.of());
    Errs.contains(Errs.at(late, "model.train.checkpoints[3]").message(), "epoch 300 is after the last epoch (epochs: 200)");
    ConfigException loss = Errs.load(new Fixture(tmp).write("e3.yaml", BASE.replace("1e-3", "0")), List.of());
    Errs.at(loss, "model.train.target_train_loss");
  }

  @Test
  void checkpointWithoutTrainingIsAnError() {
    ConfigException e = Errs.load(new Fixture(tmp).write("e.yaml", Fixture.minimal()), List.of("model.checkpoint=50"));
    Errs.contains(Errs.at(e, "model.checkpoint").message(), "give model.train with checkpoints: [50, ...]");
  }
}
