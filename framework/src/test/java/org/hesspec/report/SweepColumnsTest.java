package org.hesspec.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-key sweep columns: names, values parsed from the labels, and tables written and read with them. */
class SweepColumnsTest {

  @TempDir Path dir;

  private static final SweepColumns TWO =
      new SweepColumns(List.of("data.train.per_class", "model.train.epochs"));

  @Test
  void namesReplaceDotsAndAvoidTheTablesOwnColumns() {
    assertEquals(List.of("data_train_per_class", "model_train_epochs"), TWO.names(Tables.SUMMARY.columns()));
    // A swept key spelled like a column of the table keeps the header unique.
    assertEquals(List.of("sweep_split", "seed"),
        new SweepColumns(List.of("split", "seed")).names(Tables.SUMMARY.columns()));
  }

  @Test
  void valuesComeFromTheLabel() {
    assertEquals(List.of("51", "200"), TWO.values("data.train.per_class=51;model.train.epochs=200"));
    // A value may itself hold ';', '=' or ', ' (a list): only ';<next key>=' ends it.
    assertEquals(List.of("[10, 20]", "a;b=c"),
        new SweepColumns(List.of("x.y", "z")).values("x.y=[10, 20];z=a;b=c"));
    assertEquals(List.of("first_zero_error"), new SweepColumns(List.of("model.checkpoint")).values("first_zero_error"));
    assertEquals(List.of(), SweepColumns.NONE.values(Tables.NO_SWEEP));
    assertThrows(IllegalArgumentException.class, () -> TWO.values("model.train.epochs=200;data.train.per_class=51"));
    assertThrows(IllegalArgumentException.class, () -> TWO.values("data.train.per_class=51"));
  }

  @Test
  void noSweepLeavesTheSchemaAsItIs() {
    assertSame(Tables.DENSITY, SweepColumns.NONE.applyTo(Tables.DENSITY));
  }

  @Test
  void aTwoKeyTableIsWrittenWithOneColumnPerKeyAndReadBack() throws IOException {
    List<SummaryRow> rows = List.of(
        new SummaryRow("data.train.per_class=10;model.train.epochs=50", "train", "hessian", "bulk_edge", 2.5),
        new SummaryRow("data.train.per_class=51;model.train.epochs=200", "test", "G", "trace", 7));
    TableSchema<SummaryRow> schema = TWO.applyTo(Tables.SUMMARY);
    TableFile.in(dir, schema).write(rows);
    assertEquals(
        "sweep,data_train_per_class,model_train_epochs,split,operator,quantity,value\n"
            + "data.train.per_class=10;model.train.epochs=50,10,50,train,hessian,bulk_edge,2.5\n"
            + "data.train.per_class=51;model.train.epochs=200,51,200,test,G,trace,7\n",
        Files.readString(dir.resolve("summary.csv"), StandardCharsets.UTF_8));
    assertEquals(rows, TableFile.in(dir, schema).read());
    // Read without the columns, the header does not match: a reader must know the sweep.
    assertThrows(IllegalStateException.class, () -> TableFile.in(dir, Tables.SUMMARY).read());
  }

  @Test
  void aCellThatDisagreesWithItsLabelIsRefused() throws IOException {
    Files.writeString(dir.resolve("summary.csv"),
        "sweep,data_train_per_class,model_train_epochs,split,operator,quantity,value\n"
            + "data.train.per_class=10;model.train.epochs=50,10,51,train,hessian,bulk_edge,2.5\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TableFile.in(dir, TWO.applyTo(Tables.SUMMARY)).read());
    assertEquals(true, e.getMessage().contains("line 2") && e.getMessage().contains("disagree"), e.getMessage());
  }
}
