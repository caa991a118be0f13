package org.hesspec.experiments.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.hesspec.experiments.run.RunReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hesspec report RUN_DIR}: redraws a run's figures and report.html from its tables alone. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Redraw the figures and report.html of a finished run from its tables alone (no model, no TensorFlow).")
final class ReportCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "RUN_DIR", description = "a run folder, <out>/<name>/<run-id>/")
  Path runDir;

  @Option(names = "--rederive", description = "first recompute the derived quantities of summary.csv (bulk edge, outliers,"
      + " tail, eigengaps, ...) with this version's rules; the measured numbers are kept")
  boolean rederive;

  @Override
  public Integer call() {
    int n = RunReport.redraw(runDir, rederive, s -> System.err.println("hesspec: " + s));
    System.err.println("hesspec: " + n + " figures and report.html written in " + runDir);
    System.out.println(runDir);
    return 0;
  }
}
