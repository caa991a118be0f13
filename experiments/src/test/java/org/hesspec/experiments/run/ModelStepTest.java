package org.hesspec.experiments.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalDouble;
import org.hesspec.experiments.config.TrainConfig;
import org.hesspec.model.train.TrainingConfig;
import org.junit.jupiter.api.Test;

/** The experiment's training keys reach the trainer as documented. */
class ModelStepTest {

  private static TrainConfig train(OptionalDouble target) {
    return new TrainConfig(TrainConfig.Architecture.MLP, List.of(8), TrainConfig.Activation.RELU, 1.0, TrainConfig.Optimizer.SGD,
        0.01, 0.9, 5e-4, 20, 128, TrainConfig.Schedule.STEP, target);
  }

  @Test
  void withoutTargetAccuracyEveryEpochIsTrained() {
    TrainingConfig c = ModelStep.trainingConfig(train(OptionalDouble.empty()), 1);
    assertTrue(Double.isNaN(c.targetTrainAccuracy()), "no target_train_accuracy must not stop at zero training error");
    assertEquals(20, c.epochs());
  }

  @Test
  void targetAccuracyIsPassedOn() {
    assertEquals(0.99, ModelStep.trainingConfig(train(OptionalDouble.of(0.99)), 1).targetTrainAccuracy());
  }
}
