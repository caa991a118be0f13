package org.hesspec.experiments.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.hesspec.json.Json;
import org.hesspec.report.FigureStyle;
import org.hesspec.report.HtmlReport;
import org.hesspec.report.RenderedFigure;
import org.hesspec.report.RunDirectory;
import org.hesspec.report.SummaryRow;
import org.hesspec.report.SweepColumns;
import org.hesspec.report.TableFile;
import org.hesspec.report.TableSchema;
import org.hesspec.report.Tables;

/**
 * A finished run folder read back from its tables alone (no model, no TensorFlow session): its figures and
 * {@code report.html} redrawn, and, on request, the derived quantities of {@code summary.csv} recomputed with
 * the current rules ({@link DerivedSummary}) from the tables they derive from.
 */
public final class RunReport {

  private RunReport() {}

  /** The tables of a run folder (or of one finished unit of work) as rows; a missing table reads as none. */
  static Rows read(Path runDir) {
    return read(runDir, SweepColumns.NONE);
  }

  /** The tables of a run folder whose tables carry the per-key sweep columns {@code sc}. */
  static Rows read(Path runDir, SweepColumns sc) {
    return Rows.read(new Rows.Source() {
      @Override
      public <R> TableFile<R> of(TableSchema<R> table) {
        return table(runDir, table, sc);
      }
    });
  }

  /**
   * A table of a run folder with the per-key sweep columns {@code sc}, or without them when the file was written
   * before tables had them (its header is the plain one), so that older runs still read and redraw.
   */
  static <R> TableFile<R> table(Path runDir, TableSchema<R> schema, SweepColumns sc) {
    Path file = runDir.resolve(schema.fileName());
    if (!sc.keys().isEmpty() && Files.isRegularFile(file)) {
      try (java.io.BufferedReader in = Files.newBufferedReader(file, java.nio.charset.StandardCharsets.UTF_8)) {
        if (String.join(",", schema.columns()).equals(in.readLine())) {
          return TableFile.in(runDir, schema);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("reading " + file, e);
      }
    }
    return TableFile.in(runDir, sc.applyTo(schema));
  }

  /** The rows of {@code summary.csv}, or an input error naming the folder. */
  public static List<SummaryRow> summary(Path runDir) {
    Map<String, Object> info = checkRunFolder(runDir);
    return table(runDir, Tables.SUMMARY, sweepColumns(info)).read();
  }

  /**
   * The per-key sweep columns of a run's tables, from the swept keys its run.json records under
   * {@code experiment.sweep} (a mapping key path to values, or a list of one-key mappings).
   */
  @SuppressWarnings("unchecked")
  static SweepColumns sweepColumns(Map<String, Object> info) {
    Object experiment = info.get("experiment");
    Object sweep = experiment instanceof Map<?, ?> e ? e.get("sweep") : null;
    List<String> keys = new ArrayList<>();
    if (sweep instanceof Map<?, ?> m) {
      m.keySet().forEach(k -> keys.add(String.valueOf(k)));
    } else if (sweep instanceof List<?> l) {
      for (Object o : l) {
        if (o instanceof Map<?, ?> m) {
          m.keySet().forEach(k -> keys.add(String.valueOf(k)));
        }
      }
    }
    return new SweepColumns(keys);
  }

  /**
   * Redraws the figures and the report of {@code runDir}; with {@code rederive}, first replaces the derived
   * quantities of summary.csv by those the current rules give (the measured ones are kept as they are).
   *
   * @return the number of figures drawn
   */
  @SuppressWarnings("unchecked")
  public static int redraw(Path runDir, boolean rederive, Consumer<String> log) {
    return redraw(runDir, rederive, FigureStyle.DEFAULT, log);
  }

  /**
   * As {@link #redraw(Path, boolean, Consumer)}, drawing the figures in {@code style} ({@link FigureStyle#PAPER}:
   * sized for a paper, no caption in the image; the captions go to each figure's .txt and to the report).
   */
  public static int redraw(Path runDir, boolean rederive, FigureStyle style, Consumer<String> log) {
    Map<String, Object> info = checkRunFolder(runDir);
    Map<String, Object> experiment = (Map<String, Object>) info.get("experiment");
    if (experiment == null) {
      throw new RunInputException(runDir.resolve(RunDirectory.RUN_JSON) + ": no 'experiment' recorded; expected a run.json written by hesspec run");
    }
    List<String> sweepValues = new ArrayList<>();
    ((List<Object>) info.getOrDefault("sweep_values", List.of(Tables.NO_SWEEP))).forEach(v -> sweepValues.add(String.valueOf(v)));
    SweepColumns sc = sweepColumns(info);
    Rows all = read(runDir, sc);
    int numClasses = all.of(Tables.SUMMARY).stream().filter(s -> s.quantity().equals("classes")).mapToInt(s -> (int) s.value()).max()
        .orElse((int) Math.sqrt(all.of(Tables.EMBEDDING).stream().filter(e -> e.kind().equals("cross_mean")).count() / Math.max(1, sweepValues.size())));
    if (rederive) {
      List<SummaryRow> summary = all.of(Tables.SUMMARY);
      summary.removeIf(s -> DerivedSummary.isDerived(s.quantity()));
      List<SummaryRow> derived = DerivedSummary.derive(all, numClasses);
      summary.addAll(derived);
      // in the form the file had (older runs keep their plain header)
      table(runDir, Tables.SUMMARY, sc).write(summary);
      log.accept("summary.csv: derived quantities recomputed (" + derived.size() + " rows)");
    }
    Path figures = runDir.resolve(RunDirectory.FIGURES);
    try {
      Files.createDirectories(figures);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<RenderedFigure> rendered = RunFigures.draw(all, FigureContext.of(experiment), sweepValues, numClasses, figures, style);
    new HtmlReport("hesspec: " + experiment.getOrDefault("name", runDir.getFileName()), ExperimentRunner.reportParameters(experiment),
        all.of(Tables.SUMMARY), rendered, HtmlReport.tablesIn(runDir)).write(runDir);
    return rendered.size();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> checkRunFolder(Path runDir) {
    Path json = runDir.resolve(RunDirectory.RUN_JSON);
    if (!Files.isRegularFile(json)) {
      throw new RunInputException(runDir + ": not a run folder (no " + RunDirectory.RUN_JSON + "); expected <out>/<name>/<run-id>/");
    }
    if (!Files.isRegularFile(runDir.resolve(Tables.SUMMARY.fileName()))) {
      throw new RunInputException(runDir + ": no summary.csv; the run did not finish (resume it with hesspec run ... --resume " + runDir + ")");
    }
    try {
      Object parsed = Json.parse(Files.readString(json));
      if (!(parsed instanceof Map<?, ?>)) {
        throw new RunInputException(json + ": expected a JSON object");
      }
      return new LinkedHashMap<>((Map<String, Object>) parsed);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (IllegalArgumentException e) {
      throw new RunInputException(json + ": not valid JSON (" + e.getMessage() + ")");
    }
  }
}
