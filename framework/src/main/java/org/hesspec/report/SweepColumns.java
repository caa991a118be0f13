package org.hesspec.report;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The per-key sweep columns of a run's tables (docs/output-contract.md): a run with a sweep gets,
 * right after {@code sweep}, one column per swept key, named after the key with its dots replaced
 * by underscores ({@code data.train.per_class} becomes {@code data_train_per_class}) and holding
 * that key's value at the row's sweep point. A run without a sweep has none. With them a table
 * of a two-key sweep can be grouped or plotted by either key in pandas or R without parsing the
 * {@code sweep} label.
 *
 * <p>The values come from the {@code sweep} label alone, which is the value itself for a single
 * key and {@code key=value} pairs joined by {@code ;} for several (in the keys' order), so a
 * table's extra columns can always be rebuilt from its rows.
 *
 * @param keys the swept key paths in the experiment's order; empty without a sweep
 */
public record SweepColumns(List<String> keys) {

  /** No sweep: no extra columns. */
  public static final SweepColumns NONE = new SweepColumns(List.of());

  public SweepColumns {
    keys = List.copyOf(keys);
    Set<String> seen = new HashSet<>();
    for (String k : keys) {
      if (k.isBlank() || k.contains(";") || k.contains("=") || k.contains(",")) {
        throw new IllegalArgumentException("not a sweep key path: '" + k + "'");
      }
      if (!seen.add(k)) {
        throw new IllegalArgumentException("sweep key " + k + " given twice");
      }
    }
  }

  /**
   * The column names for a table whose own columns are {@code tableColumns}: each key with
   * {@code .} replaced by {@code _}, prefixed with {@code sweep_} where that would repeat one of
   * the table's columns (a swept top-level key such as {@code seed} cannot, but the rule keeps
   * every header unique).
   */
  public List<String> names(List<String> tableColumns) {
    List<String> names = new ArrayList<>();
    for (String k : keys) {
      String name = k.replace('.', '_');
      names.add(tableColumns.contains(name) ? "sweep_" + name : name);
    }
    return names;
  }

  /**
   * The value of each key at the sweep point labelled {@code label}, as its text.
   *
   * @throws IllegalArgumentException if the label is not one of this sweep's labels
   */
  public List<String> values(String label) {
    Objects.requireNonNull(label, "label");
    if (keys.isEmpty()) {
      return List.of();
    }
    if (keys.size() == 1) {
      return List.of(label);
    }
    List<String> values = new ArrayList<>();
    int at = 0;
    for (int i = 0; i < keys.size(); i++) {
      String head = keys.get(i) + "=";
      if (!label.startsWith(head, at)) {
        throw new IllegalArgumentException(
            "sweep label '" + label + "' does not have " + head + " where expected (keys " + keys + ")");
      }
      at += head.length();
      int end = i + 1 < keys.size() ? label.indexOf(";" + keys.get(i + 1) + "=", at) : label.length();
      if (end < 0) {
        throw new IllegalArgumentException(
            "sweep label '" + label + "' lacks the key " + keys.get(i + 1) + " (keys " + keys + ")");
      }
      values.add(label.substring(at, end));
      at = end + 1;
    }
    return values;
  }

  /**
   * {@code schema} with these columns inserted after its first column, {@code sweep}: writing
   * fills them from each row's sweep label, reading checks the header and that they agree with
   * the label, then drops them (the row
   * records keep only the label). Without a sweep, {@code schema} itself.
   */
  public <R> TableSchema<R> applyTo(TableSchema<R> schema) {
    if (keys.isEmpty()) {
      return schema;
    }
    if (schema.columns().isEmpty() || !schema.columns().get(0).equals("sweep")) {
      throw new IllegalArgumentException(schema.fileName() + ": the first column is not 'sweep'");
    }
    int k = keys.size();
    List<String> columns = new ArrayList<>();
    columns.add("sweep");
    columns.addAll(names(schema.columns()));
    columns.addAll(schema.columns().subList(1, schema.columns().size()));
    return new TableSchema<>(
        schema.fileName(),
        columns,
        row -> {
          List<String> base = schema.encode(row);
          List<String> cells = new ArrayList<>(base.size() + k);
          cells.add(base.get(0));
          cells.addAll(values(base.get(0)));
          cells.addAll(base.subList(1, base.size()));
          return cells;
        },
        cells -> {
          List<String> expected = values(cells.get(0));
          if (!expected.equals(cells.subList(1, 1 + k))) {
            throw new IllegalArgumentException("sweep columns " + cells.subList(1, 1 + k)
                + " disagree with the sweep label '" + cells.get(0) + "' (expected " + expected + ")");
          }
          List<String> base = new ArrayList<>(cells.size() - k);
          base.add(cells.get(0));
          base.addAll(cells.subList(1 + k, cells.size()));
          return schema.decoder().apply(base);
        });
  }
}
