package org.hesspec.experiments.run;

import java.nio.file.Path;
import java.util.function.Consumer;
import org.hesspec.experiments.config.ExperimentConfig;
import org.hesspec.model.train.TrainingListener;

/** The training step alone ({@code hesspec train}): loads the data and trains the model if it is missing. */
public final class TrainStep {
  private TrainStep() {}

  /** The folder of the final model this point's training exports. */
  public static Path savedModel(ExperimentConfig c) {
    return ModelStep.savedModel(c);
  }

  /**
   * Returns the SavedModel folder of the final model (existing or just trained). An interrupted
   * training (its {@code <savedmodel>.training-state} left behind) is continued.
   */
  public static Path train(ExperimentConfig c, Consumer<String> log) {
    Path dir = ModelStep.savedModel(c);
    if (ModelStep.exists(dir)) {
      log.accept(dir + " exists already; not retrained (delete it to train again)");
      return dir;
    }
    return ModelStep.train(c, ExperimentData.load(c.data(), c.seed()), TrainingListener.console(), log);
  }
}
