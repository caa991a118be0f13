package org.hesspec.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders one figure of each kind and a report page into a folder (default
 * {@code /tmp/report-demo}), for looking at them:
 * {@code java -cp ... org.hesspec.report.FigureDemo /tmp/report-demo}.
 */
final class FigureDemo {

  private FigureDemo() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("java.awt.headless", "true");
    Path out = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "/tmp/report-demo"));
    List<RenderedFigure> rendered = new ArrayList<>();
    for (Figure f : FigureGallery.all()) {
      rendered.add(FigureWriter.write(f, out.resolve(RunDirectory.FIGURES)));
    }
    List<SummaryRow> summary =
        List.of(
            new SummaryRow("", "train", "hessian", "outlier_count", 10),
            new SummaryRow("", "train", "hessian", "bulk_edge", 1.5),
            new SummaryRow("", "train", "hessian", "tail_exponent", 1.45),
            new SummaryRow("", "test", "hessian", "outlier_count", 10),
            new SummaryRow("", "test", "hessian", "bulk_edge", 1.61));
    TableFile.in(out, Tables.SUMMARY).write(summary);
    new HtmlReport("hesspec demo (synthetic spectra)", FigureGallery.params(), summary, rendered,
        HtmlReport.tablesIn(out)).write(out);
  }
}
