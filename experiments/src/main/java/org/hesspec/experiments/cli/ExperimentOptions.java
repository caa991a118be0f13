package org.hesspec.experiments.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hesspec.experiments.config.ConfigException;
import org.hesspec.experiments.config.ExperimentConfig;
import org.hesspec.experiments.config.ExperimentLoader;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The experiment file and its {@code --set} overrides, shared by run, validate and train. */
final class ExperimentOptions {
  @Parameters(index = "0", paramLabel = "EXPERIMENT.yaml", description = "experiment file")
  Path file;

  Path file() {
    return file;
  }

  @Option(names = "--set", paramLabel = "key.path=value", description = "override a key of the experiment file (repeatable)")
  List<String> overrides = new ArrayList<>();

  /** The validated sweep points; a bad file is an input error (exit 2) listing every problem with its key and line. */
  List<ExperimentConfig> load() {
    try {
      return new ExperimentLoader(new SavedModelChecker()).load(file, overrides);
    } catch (ConfigException e) {
      throw new InputException(e.getMessage());
    }
  }
}
