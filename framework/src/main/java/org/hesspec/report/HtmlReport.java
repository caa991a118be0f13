package org.hesspec.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The run's one-page report, {@code report.html}: title, parameters, a table of the key numbers
 * (the summary rows, one line per sweep value, split and operator, one column per quantity),
 * every figure with its caption, and links to the CSV tables and to each figure's SVG.
 *
 * <p>The page stands alone: PNGs are embedded as base64 {@code data:} URIs, the little CSS it
 * has is inline, there is no script, and every link is relative to the run folder, so the page
 * works offline, after the run folder is moved, and when mailed on its own (minus the links).
 * The same inputs always give the same bytes.
 *
 * @param title the page title, e.g. the experiment name and run id
 * @param parameters the run's parameters in display order (M, K, kernel width, n, seed, ...)
 * @param summary the rows of {@code summary.csv}
 * @param figures the figures in display order
 * @param tables CSV file names relative to the run folder, e.g. from {@link #tablesIn}
 */
public record HtmlReport(
    String title,
    Map<String, ?> parameters,
    List<SummaryRow> summary,
    List<RenderedFigure> figures,
    List<String> tables) {

  /** The report's file name in the run folder. */
  public static final String FILE = "report.html";

  public HtmlReport {
    Objects.requireNonNull(title, "title");
    parameters = new LinkedHashMap<>(parameters);
    summary = List.copyOf(summary);
    figures = List.copyOf(figures);
    tables = List.copyOf(tables);
  }

  /**
   * The CSV files present in {@code runRoot}: the contract's tables first, in the contract's
   * order, then any others alphabetically.
   */
  public static List<String> tablesIn(Path runRoot) {
    Set<String> names = new LinkedHashSet<>();
    for (TableSchema<?> schema : Tables.all()) {
      if (Files.isRegularFile(runRoot.resolve(schema.fileName()))) {
        names.add(schema.fileName());
      }
    }
    List<String> others = new ArrayList<>();
    try (DirectoryStream<Path> csv = Files.newDirectoryStream(runRoot, "*.csv")) {
      csv.forEach(p -> others.add(p.getFileName().toString()));
    } catch (IOException e) {
      throw new UncheckedIOException("listing " + runRoot, e);
    }
    others.sort(null);
    names.addAll(others);
    return List.copyOf(names);
  }

  /** Writes {@code runRoot/report.html} atomically and returns its path. */
  public Path write(Path runRoot) {
    Path file = runRoot.resolve(FILE);
    AtomicFiles.writeString(file, render(runRoot));
    return file;
  }

  /** The page; figure links are made relative to {@code runRoot}. */
  public String render(Path runRoot) {
    StringBuilder h = new StringBuilder(1 << 16);
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>").append(esc(title)).append("</title>\n")
        .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n")
        .append("<h1>").append(esc(title)).append("</h1>\n");
    regimeTable(h);
    parameters(h);
    summaryTable(h);
    figureSection(h, runRoot);
    tableLinks(h);
    h.append("</body>\n</html>\n");
    return h.toString();
  }

  private void parameters(StringBuilder h) {
    if (parameters.isEmpty()) {
      return;
    }
    h.append("<h2>Parameters</h2>\n<table class=\"params\">\n");
    parameters.forEach(
        (k, v) ->
            h.append("<tr><th>").append(esc(k)).append("</th><td>")
                .append(esc(FigureText.formatValue(v))).append("</td></tr>\n"));
    h.append("</table>\n");
  }

  /**
   * The regime quantities of docs/output-contract.md, so that no verdict is read outside the regime it was
   * measured in: one line per (sweep, split), the model's loss, accuracy, margins and nc1, the shares of
   * tr(G) carried by the means, and per operator (Hessian, G) the eigengaps at C and C-1, the subspace
   * overlaps and the distance of the top C-1 eigenvalues to G1's.
   */
  private void regimeTable(StringBuilder h) {
    List<String[]> columns = new ArrayList<>(); // {operator, quantity, header}
    for (String split : List.of("train", "test")) {
      columns.add(new String[] {"model", split + "_loss", "loss"});
      columns.add(new String[] {"model", split + "_accuracy", "accuracy"});
    }
    columns.add(new String[] {"model", "margin_q05", "margin q05"});
    columns.add(new String[] {"model", "margin_median", "margin median"});
    columns.add(new String[] {"model", "nc1", "nc1"});
    columns.add(new String[] {"G", "means_share", "means share"});
    columns.add(new String[] {"G", "class_share", "class share"});
    columns.add(new String[] {"G", "cross_share", "cross share"});
    for (String op : List.of("hessian", "G")) {
      columns.add(new String[] {op, "eigengap_C", op + " λC/λC+1"});
      columns.add(new String[] {op, "eigengap_C_minus_1", op + " λC-1/λC"});
      columns.add(new String[] {op, "class_subspace_overlap", op + " overlap span δ"});
      columns.add(new String[] {op, "top_C_vs_class_means_max_rel_diff", op + " top vs G1"});
    }
    Map<List<String>, Map<String, Double>> lines = new LinkedHashMap<>();
    Set<String> present = new LinkedHashSet<>();
    for (SummaryRow r : summary) {
      for (String[] c : columns) {
        if (c[0].equals(r.operator()) && c[1].equals(r.quantity())) {
          lines.computeIfAbsent(List.of(r.sweep(), r.split()), k -> new LinkedHashMap<>()).put(c[0] + "/" + c[1], r.value());
          present.add(c[2]);
        }
      }
    }
    if (lines.isEmpty()) {
      return;
    }
    h.append("<h2>Regime</h2>\n<p>Where the model stands (loss, accuracy, logit margins, neural collapse nc1 = "
        + "tr(Σ_W Σ_B⁺)/C) and how much of tr(G) the class means carry: read every verdict with these numbers.</p>\n"
        + "<div class=\"wide\"><table class=\"summary\">\n<tr><th>sweep</th><th>split</th>");
    List<String[]> shown = columns.stream().filter(c -> present.contains(c[2])).toList();
    Set<String> headers = new LinkedHashSet<>();
    for (String[] c : shown) {
      if (headers.add(c[2])) {
        h.append("<th>").append(esc(c[2])).append("</th>");
      }
    }
    h.append("</tr>\n");
    lines.forEach((key, values) -> {
      h.append("<tr><td>").append(esc(key.get(0))).append("</td><td>").append(esc(key.get(1))).append("</td>");
      Set<String> done = new LinkedHashSet<>();
      for (String[] c : shown) {
        if (!done.add(c[2])) {
          continue;
        }
        Double v = values.get(c[0] + "/" + c[1]);
        if (v == null) {
          // train_loss and test_loss share a header: take whichever this split has.
          v = shown.stream().filter(o -> o[2].equals(c[2])).map(o -> values.get(o[0] + "/" + o[1]))
              .filter(Objects::nonNull).findFirst().orElse(null);
        }
        h.append("<td>").append(v == null ? "" : esc(String.format(java.util.Locale.ROOT, "%.4g", v))).append("</td>");
      }
      h.append("</tr>\n");
    });
    h.append("</table></div>\n");
  }

  /** Pivots the long summary rows: one line per (sweep, split, operator), one column per quantity. */
  private void summaryTable(StringBuilder h) {
    if (summary.isEmpty()) {
      return;
    }
    Set<String> quantities = new LinkedHashSet<>();
    Map<List<String>, Map<String, Double>> lines = new LinkedHashMap<>();
    for (SummaryRow r : summary) {
      quantities.add(r.quantity());
      lines.computeIfAbsent(List.of(r.sweep(), r.split(), r.operator()), k -> new LinkedHashMap<>())
          .put(r.quantity(), r.value());
    }
    boolean sweep = summary.stream().anyMatch(r -> !r.sweep().isEmpty() && !r.sweep().equals(Tables.NO_SWEEP));
    h.append("<h2>Key numbers</h2>\n<div class=\"wide\"><table class=\"summary\">\n<tr>");
    if (sweep) {
      h.append("<th>sweep</th>");
    }
    h.append("<th>split</th><th>operator</th>");
    for (String q : quantities) {
      h.append("<th>").append(esc(q.replace('_', ' '))).append("</th>");
    }
    h.append("</tr>\n");
    lines.forEach(
        (key, values) -> {
          h.append("<tr>");
          for (int i = sweep ? 0 : 1; i < 3; i++) {
            h.append("<td>").append(esc(key.get(i))).append("</td>");
          }
          for (String q : quantities) {
            Double v = values.get(q);
            if (v == null) {
              h.append("<td></td>");
            } else {
              // Four digits to read, the exact value on hover and in summary.csv.
              h.append("<td class=\"num\" title=\"").append(esc(CsvNumbers.format(v, q)))
                  .append("\">").append(esc(FigureText.formatValue(v))).append("</td>");
            }
          }
          h.append("</tr>\n");
        });
    h.append("</table></div>\n");
  }

  private void figureSection(StringBuilder h, Path runRoot) {
    if (figures.isEmpty()) {
      return;
    }
    h.append("<h2>Figures</h2>\n");
    for (RenderedFigure f : figures) {
      byte[] png;
      try {
        png = Files.readAllBytes(f.png());
      } catch (IOException e) {
        throw new UncheckedIOException("reading figure " + f.png(), e);
      }
      h.append("<figure id=\"").append(esc(f.name())).append("\">\n")
          .append("<img alt=\"").append(esc(f.title())).append("\" src=\"data:image/png;base64,")
          .append(Base64.getEncoder().encodeToString(png)).append("\">\n")
          .append("<figcaption><b>").append(esc(f.title())).append(".</b> ")
          .append(esc(f.caption()))
          .append(" <span class=\"links\">[<a href=\"").append(esc(link(runRoot, f.svg())))
          .append("\">SVG</a> · <a href=\"").append(esc(link(runRoot, f.pdf())))
          .append("\">PDF</a> · <a href=\"").append(esc(link(runRoot, f.png())))
          .append("\">PNG</a>]</span></figcaption>\n</figure>\n");
    }
  }

  private void tableLinks(StringBuilder h) {
    if (tables.isEmpty()) {
      return;
    }
    h.append("<h2>Tables</h2>\n<ul>\n");
    for (String t : tables) {
      h.append("<li><a href=\"").append(esc(t)).append("\">").append(esc(t)).append("</a></li>\n");
    }
    h.append("</ul>\n");
  }

  /** A relative URL from the run folder, with forward slashes whatever the platform. */
  private static String link(Path runRoot, Path file) {
    Path root = runRoot.toAbsolutePath().normalize();
    Path target = file.toAbsolutePath().normalize();
    String relative = target.startsWith(root) ? root.relativize(target).toString()
        : target.getFileName().toString();
    return relative.replace('\\', '/');
  }

  static String esc(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static final String CSS =
      """
      body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 2em auto;
             max-width: 1200px; padding: 0 1em; color: #222; }
      h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 1.6em; }
      table { border-collapse: collapse; margin: 0.5em 0; }
      th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; }
      th { background: #f3f3f3; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
      figure { margin: 1.5em 0; } figure img { max-width: 100%; border: 1px solid #ddd; }
      figcaption { font-size: 0.92em; color: #444; margin-top: 0.3em; }
      .links { white-space: nowrap; }
      .wide { max-width: 100%; overflow-x: auto; }
      """;
}
