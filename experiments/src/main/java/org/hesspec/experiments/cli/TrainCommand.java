package org.hesspec.experiments.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.hesspec.experiments.config.ExperimentConfig;
import org.hesspec.experiments.run.InputCheck;
import org.hesspec.experiments.run.TrainStep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code hesspec train EXPERIMENT.yaml}: only the training step (for every sweep point that trains
 * its own model), exporting the model and its checkpoints; an interrupted training is continued.
 */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train and export the experiment's model(s) only.")
final class TrainCommand implements Callable<Integer> {

  @Mixin
  ExperimentOptions experiment;

  @Override
  public Integer call() {
    List<ExperimentConfig> points = experiment.load();
    if (points.get(0).model().train().isEmpty()) {
      throw new InputException(experiment.file() + ": model.train is not given; nothing to train");
    }
    InputCheck.check(points);
    // Points that differ only in model.checkpoint share one training: train and print it once.
    java.util.Set<Path> done = new java.util.HashSet<>();
    for (ExperimentConfig c : points) {
      if (done.add(TrainStep.savedModel(c))) {
        Path dir = TrainStep.train(c, s -> System.err.println("hesspec: " + s));
        System.out.println(dir);
      }
    }
    return 0;
  }
}
