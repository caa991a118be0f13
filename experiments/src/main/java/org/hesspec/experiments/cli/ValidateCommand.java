package org.hesspec.experiments.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.hesspec.experiments.config.ExperimentConfig;
import org.hesspec.experiments.run.InputCheck;
import org.hesspec.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hesspec validate EXPERIMENT.yaml}: checks the file, then loads the data and the model it
 * names and checks them against each other ({@link InputCheck}), exactly as {@code run} does
 * before it writes anything; runs nothing.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = "Check an experiment file and the model/data it names; run nothing.")
final class ValidateCommand implements Callable<Integer> {

  @Mixin
  ExperimentOptions experiment;

  @Option(names = "--print", description = "print the resolved experiment (defaults filled in) as JSON")
  boolean print;

  @Override
  public Integer call() {
    List<ExperimentConfig> points = experiment.load();
    // The same checks of the data against the model that `run` makes before it writes anything.
    InputCheck.check(points);
    System.out.println(experiment.file() + ": valid (" + points.size() + (points.size() == 1 ? " run" : " sweep points") + ")");
    if (print) {
      System.out.print(Json.write(points.get(0).toMap()));
    }
    return 0;
  }
}
