package org.hesspec.experiments.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hesspec.report.ClassStructureRow;
import org.hesspec.report.DensityRow;
import org.hesspec.report.EigenvalueRow;
import org.hesspec.report.EmbeddingRow;
import org.hesspec.report.RitzRow;
import org.hesspec.report.SummaryRow;
import org.hesspec.report.SweepColumns;
import org.hesspec.report.TableSchema;
import org.hesspec.report.Tables;
import org.hesspec.report.TraceRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rows holds one list per table of Tables.all(), writes every one of them and reads them all back. */
class RowsTest {

  private static Rows sample() {
    Rows r = new Rows();
    r.of(Tables.DENSITY).add(new DensityRow("none", "train", "G", "linear", -0.5, 1.25));
    r.of(Tables.RITZ).add(new RitzRow("none", "train", "G", 0, 3.0, 0.75));
    r.of(Tables.EIGENVALUES).add(new EigenvalueRow("none", "test", "hessian", "exact", 1, 2.5, Double.NaN));
    r.of(Tables.TRACE).add(new TraceRow("none", "test", "H", "hutchpp", -0.125, 0.01, 30));
    r.of(Tables.CLASS_STRUCTURE).add(new ClassStructureRow("none", "train", "class_means", 1, 0.3));
    r.of(Tables.SUMMARY).add(new SummaryRow("none", "train", "model", "classes", 10));
    r.of(Tables.EMBEDDING).add(new EmbeddingRow("none", "train", "mds", "class_mean", 2, EmbeddingRow.NONE, 0.1, -0.2));
    return r;
  }

  @Test
  void everyTableIsWrittenAndReadBack(@TempDir Path dir) {
    Rows r = sample();
    r.write(dir, SweepColumns.NONE);
    Rows back = RunReport.read(dir);
    for (TableSchema<?> t : Tables.all()) {
      assertTrue(Files.isRegularFile(dir.resolve(t.fileName())), t.fileName());
      assertEquals(r.of(t), back.of(t), t.fileName());
      assertEquals(1, back.of(t).size(), t.fileName());
    }
  }

  @Test
  void addAllAppendsTableByTable() {
    Rows r = sample();
    r.addAll(sample());
    for (TableSchema<?> t : Tables.all()) {
      assertEquals(2, r.of(t).size(), t.fileName());
      assertEquals(r.of(t).get(0), r.of(t).get(1), t.fileName());
    }
  }

  @Test
  void aTableOutsideTheRegistryIsRefused() {
    TableSchema<SummaryRow> other = new TableSchema<>("other.csv", List.of("sweep"), s -> List.of(s.sweep()),
        c -> new SummaryRow(c.get(0), "", "", "", 0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Rows().of(other));
    assertTrue(e.getMessage().contains("other.csv"), e.getMessage());
  }
}
