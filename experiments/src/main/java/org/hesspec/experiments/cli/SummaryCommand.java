package org.hesspec.experiments.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.hesspec.experiments.run.KeyNumbers;
import org.hesspec.experiments.run.RunReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code hesspec summary RUN_DIR}: the key numbers of a finished run, from its summary.csv. */
@Command(name = "summary", mixinStandardHelpOptions = true,
    description = "Print the key numbers of a finished run (regime, top eigenvalue, trace, outliers, bulk edge, tail exponent, eigengaps).")
final class SummaryCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "RUN_DIR", description = "a run folder, <out>/<name>/<run-id>/")
  Path runDir;

  @Override
  public Integer call() {
    String table = KeyNumbers.format(RunReport.summary(runDir));
    System.out.print(table.isEmpty() ? "no key numbers in " + runDir.resolve("summary.csv") + "\n" : table);
    return 0;
  }
}
