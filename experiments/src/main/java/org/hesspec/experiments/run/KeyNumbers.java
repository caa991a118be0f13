package org.hesspec.experiments.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hesspec.report.SummaryRow;

/**
 * The key numbers of a run as two plain-text tables, from {@code summary.csv} alone: per (sweep, split,
 * operator) the top eigenvalue, trace, outlier count, bulk edge, tail exponent, the eigengap at C and the
 * overlap of the top C-1 eigenvectors with span{delta_c}; per (sweep, split) the regime (loss, accuracy,
 * margins, nc1, shares of tr(G)). Printed by {@code hesspec summary} and at the end of {@code hesspec run}.
 */
public final class KeyNumbers {

  private KeyNumbers() {}

  private static final List<String[]> SPECTRUM = List.of(
      new String[] {"top_eigenvalue", "top λ"},
      new String[] {"trace", "trace"},
      new String[] {"outlier_count", "outliers"},
      new String[] {"mini_outlier_count", "mini"},
      new String[] {"bulk_edge", "bulk edge"},
      new String[] {"tail_exponent", "tail α"},
      new String[] {"eigengap_C", "λC/λC+1"},
      new String[] {"eigengap_C_minus_1", "λC-1/λC"},
      new String[] {"class_subspace_overlap", "overlap δ"},
      new String[] {"top_C_vs_class_means_max_rel_diff", "vs G1"});

  private static final List<String[]> REGIME = List.of(
      new String[] {"model", "train_loss", "loss"},
      new String[] {"model", "test_loss", "loss"},
      new String[] {"model", "train_accuracy", "accuracy"},
      new String[] {"model", "test_accuracy", "accuracy"},
      new String[] {"model", "margin_q05", "margin q05"},
      new String[] {"model", "margin_median", "margin median"},
      new String[] {"model", "nc1", "nc1"},
      new String[] {"G", "means_share", "means share"},
      new String[] {"G", "class_share", "class share"},
      new String[] {"G", "cross_share", "cross share"});

  /** Both tables, each omitted when the summary has none of its numbers. */
  public static String format(List<SummaryRow> summary) {
    StringBuilder out = new StringBuilder();
    Map<List<String>, Map<String, Double>> byOperator = new LinkedHashMap<>();
    Map<List<String>, Map<String, Double>> bySplit = new LinkedHashMap<>();
    for (SummaryRow r : summary) {
      for (String[] c : SPECTRUM) {
        if (c[0].equals(r.quantity()) && !r.operator().equals("model")) {
          byOperator.computeIfAbsent(List.of(r.sweep(), r.split(), r.operator()), k -> new LinkedHashMap<>()).put(c[1], r.value());
        }
      }
      for (String[] c : REGIME) {
        if (c[0].equals(r.operator()) && c[1].equals(r.quantity())) {
          bySplit.computeIfAbsent(List.of(r.sweep(), r.split()), k -> new LinkedHashMap<>()).put(c[2], r.value());
        }
      }
    }
    if (!bySplit.isEmpty()) {
      out.append("Regime\n");
      table(out, List.of("sweep", "split"), REGIME.stream().map(c -> c[2]).distinct().toList(), bySplit);
    }
    if (!byOperator.isEmpty()) {
      if (out.length() > 0) {
        out.append('\n');
      }
      out.append("Spectra\n");
      table(out, List.of("sweep", "split", "operator"), SPECTRUM.stream().map(c -> c[1]).toList(), byOperator);
    }
    return out.toString();
  }

  private static void table(StringBuilder out, List<String> keys, List<String> columns, Map<List<String>, Map<String, Double>> lines) {
    List<String> shown = new ArrayList<>();
    for (String c : columns) {
      if (lines.values().stream().anyMatch(v -> v.containsKey(c))) {
        shown.add(c);
      }
    }
    List<List<String>> cells = new ArrayList<>();
    List<String> header = new ArrayList<>(keys);
    header.addAll(shown);
    cells.add(header);
    lines.forEach((key, values) -> {
      List<String> row = new ArrayList<>(key);
      for (String c : shown) {
        Double v = values.get(c);
        row.add(v == null ? "" : number(v));
      }
      cells.add(row);
    });
    int[] width = new int[header.size()];
    for (List<String> row : cells) {
      for (int i = 0; i < row.size(); i++) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    for (List<String> row : cells) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        String cell = row.get(i);
        // Labels left-aligned, numbers right-aligned.
        String padded = i < keys.size() ? cell + " ".repeat(width[i] - cell.length()) : " ".repeat(width[i] - cell.length()) + cell;
        line.append(i == 0 ? "" : "  ").append(padded);
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
  }

  /** Four significant digits; whole numbers (counts) as integers. */
  static String number(double v) {
    if (Double.isNaN(v)) {
      return "";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e9) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%.4g", v);
  }
}
