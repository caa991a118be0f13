package org.hesspec.experiments.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hesspec.report.SweepColumns;
import org.hesspec.report.TableFile;
import org.hesspec.report.TableSchema;
import org.hesspec.report.Tables;

/**
 * The rows of every table a run writes, one list per table of {@link Tables#all()}, the one place the
 * tables are declared (file name, columns, encoding): units of work, the run's final tables and a run
 * read back all go through it, so a new table is one more schema there. Mutable while a unit runs, then
 * only read.
 */
public final class Rows {
  private final Map<TableSchema<?>, List<Object>> tables = new LinkedHashMap<>();

  public Rows() {
    for (TableSchema<?> t : Tables.all()) {
      tables.put(t, new ArrayList<>());
    }
  }

  /** The (mutable) rows of {@code table}, one of {@link Tables#all()}. */
  @SuppressWarnings("unchecked")
  public <R> List<R> of(TableSchema<R> table) {
    List<Object> rows = tables.get(table);
    if (rows == null) {
      throw new IllegalArgumentException(table.fileName() + " is not one of the run's tables (Tables.all())");
    }
    return (List<R>) rows;
  }

  /** Appends all of {@code other}'s rows, table by table. */
  public void addAll(Rows other) {
    other.tables.forEach((t, rows) -> tables.get(t).addAll(rows));
  }

  /** Writes every table into {@code folder} (an empty table as its header alone), with the sweep columns {@code sc}. */
  public void write(Path folder, SweepColumns sc) {
    for (TableSchema<?> t : tables.keySet()) {
      write(folder, sc, t);
    }
  }

  private <R> void write(Path folder, SweepColumns sc, TableSchema<R> t) {
    TableFile.in(folder, sc.applyTo(t)).write(of(t));
  }

  /** Reads every table through {@code files} (a missing one as no rows). */
  public static Rows read(Source files) {
    Rows r = new Rows();
    for (TableSchema<?> t : r.tables.keySet()) {
      r.readInto(files, t);
    }
    return r;
  }

  private <R> void readInto(Source files, TableSchema<R> t) {
    of(t).addAll(files.of(t).read());
  }

  /** Where each table of a folder is read from (e.g. with the folder's sweep columns). */
  public interface Source {
    <R> TableFile<R> of(TableSchema<R> table);
  }
}
