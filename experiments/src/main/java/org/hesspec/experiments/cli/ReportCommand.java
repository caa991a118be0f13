package org.hesspec.experiments.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.hesspec.experiments.run.RunReport;
import org.hesspec.report.FigureStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hesspec report RUN_DIR [--style paper]}: redraws a run's figures and report.html from its tables alone,
 * on screen or sized for a paper.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Redraw the figures and report.html of a finished run from its tables alone (no model, no TensorFlow).")
final class ReportCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "RUN_DIR", description = "a run folder, <out>/<name>/<run-id>/")
  Path runDir;

  @Option(names = "--rederive", description = "first recompute the derived quantities of summary.csv (bulk edge, outliers,"
      + " tail, eigengaps, ...) with this version's rules; the measured numbers are kept")
  boolean rederive;

  @Option(names = "--style", defaultValue = "default", paramLabel = "STYLE",
      description = "default: for the screen; paper: 3.25 in (one column) or 6.75 in (side-by-side panels) wide,"
          + " 8-9 pt text, no title or caption in the image (they go to NAME.txt and the report), PNG at 300 dpi"
          + " [${DEFAULT-VALUE}]")
  String style;

  @Override
  public Integer call() {
    FigureStyle s;
    try {
      s = FigureStyle.parse(style);
    } catch (IllegalArgumentException e) {
      throw new InputException("--style " + style + ": expected default or paper");
    }
    int n = RunReport.redraw(runDir, rederive, s, m -> System.err.println("hesspec: " + m));
    System.err.println("hesspec: " + n + " figures (" + s.label() + " style) and report.html written in " + runDir);
    System.out.println(runDir);
    return 0;
  }
}
