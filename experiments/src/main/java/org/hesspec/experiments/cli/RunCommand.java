package org.hesspec.experiments.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.hesspec.experiments.config.ExperimentConfig;
import org.hesspec.experiments.run.ExperimentRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hesspec run EXPERIMENT.yaml [--set k=v ...] [--resume RUN_DIR] [--out DIR]}. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run an experiment: train if asked, measure the spectra, write tables, figures and report.")
final class RunCommand implements Callable<Integer> {

  @Mixin
  ExperimentOptions experiment;

  @Option(names = "--resume", paramLabel = "RUN_DIR", description = "continue this incomplete run (finished steps are not redone)")
  Path resume;

  @Option(names = "--out", paramLabel = "DIR", description = "results folder [results/ at the repository root]")
  Path out;

  @Override
  public Integer call() {
    List<ExperimentConfig> points = experiment.load();
    if (out != null && java.nio.file.Files.exists(out) && !java.nio.file.Files.isDirectory(out)) {
      throw new InputException("--out " + out + " is a file, not a folder");
    }
    ExperimentRunner runner = new ExperimentRunner(s -> System.err.println("hesspec: " + s));
    Path done = resume != null ? runner.resume(points, resume) : runner.run(points, out != null ? out : Paths.results());
    // The key numbers on stderr, with the run's log; stdout keeps the one line scripts read: the run folder.
    String table = org.hesspec.experiments.run.KeyNumbers.format(org.hesspec.experiments.run.RunReport.summary(done));
    if (!table.isEmpty()) {
      System.err.println();
      System.err.print(table);
      System.err.println();
    }
    System.out.println(done);
    return 0;
  }
}
