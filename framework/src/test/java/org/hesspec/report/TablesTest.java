package org.hesspec.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TablesTest {

  @TempDir Path dir;

  private String text(TableSchema<?> schema) throws IOException {
    return Files.readString(dir.resolve(schema.fileName()), StandardCharsets.UTF_8);
  }

  @Test
  void densityIsByteExact() throws IOException {
    TableFile.in(dir, Tables.DENSITY)
        .append(
            List.of(
                new DensityRow("", "train", "hessian", "linear", -0.5, 1.25e-7),
                new DensityRow("", "train", "hessian", "log", 3.0, 0.1)));
    assertEquals(
        "sweep,split,operator,scale,x,density\n"
            + ",train,hessian,linear,-0.5,1.25E-7\n"
            + ",train,hessian,log,3,0.1\n",
        text(Tables.DENSITY));
  }

  @Test
  void ritzIsByteExact() throws IOException {
    TableFile.in(dir, Tables.RITZ).append(List.of(new RitzRow("10", "test", "G", 2, 41.5, 0.25)));
    assertEquals(
        "sweep,split,operator,run,node,weight\n10,test,G,2,41.5,0.25\n", text(Tables.RITZ));
  }

  @Test
  void eigenvaluesWriteMissingResidualAsEmptyCell() throws IOException {
    TableFile.in(dir, Tables.EIGENVALUES)
        .append(
            List.of(
                new EigenvalueRow("", "train", "hessian", "lanczos", 1, 123.456, 1e-9),
                new EigenvalueRow("", "train", "hessian", "exact", 1, 123.45600000000002,
                    Double.NaN)));
    assertEquals(
        "sweep,split,operator,method,rank,eigenvalue,residual\n"
            + ",train,hessian,lanczos,1,123.456,1.0E-9\n"
            + ",train,hessian,exact,1,123.45600000000002,\n",
        text(Tables.EIGENVALUES));
  }

  @Test
  void traceIsByteExact() throws IOException {
    TableFile.in(dir, Tables.TRACE)
        .append(List.of(new TraceRow("506", "train", "H", "hutchpp", -0.0, 3.5, 100)));
    assertEquals(
        "sweep,split,operator,method,estimate,std_error,samples\n"
            + "506,train,H,hutchpp,-0.0,3.5,100\n",
        text(Tables.TRACE));
  }

  @Test
  void classStructureIsByteExact() throws IOException {
    TableFile.in(dir, Tables.CLASS_STRUCTURE)
        .append(List.of(new ClassStructureRow("", "train", "class_means", 10, 2.0E10)));
    assertEquals(
        "sweep,split,level,rank,eigenvalue\n,train,class_means,10,20000000000\n",
        text(Tables.CLASS_STRUCTURE));
  }

  @Test
  void summaryQuotesOnlyWhereNeeded() throws IOException {
    TableFile.in(dir, Tables.SUMMARY)
        .append(
            List.of(
                new SummaryRow("a,b", "train", "hessian", "outlier_count", 10),
                new SummaryRow("say \"x\"", "train", "hessian", "tail_exponent", Double.NaN)));
    assertEquals(
        "sweep,split,operator,quantity,value\n"
            + "\"a,b\",train,hessian,outlier_count,10\n"
            + "\"say \"\"x\"\"\",train,hessian,tail_exponent,\n",
        text(Tables.SUMMARY));
    List<SummaryRow> back = TableFile.in(dir, Tables.SUMMARY).read();
    assertEquals("a,b", back.get(0).sweep());
    assertEquals("say \"x\"", back.get(1).sweep());
    assertTrue(Double.isNaN(back.get(1).value()));
  }

  @Test
  void embeddingRowsRoundTripWithAnEmptyC2ForClassMeans() throws IOException {
    List<EmbeddingRow> rows = List.of(new EmbeddingRow("none", "train", "mds", "class_mean", 3, EmbeddingRow.NONE, 0.5, -1.25),
        new EmbeddingRow("none", "train", "tsne", "cross_mean", 3, 3, 2.0, 1e-9));
    TableFile.in(dir, Tables.EMBEDDING).write(rows);
    assertEquals("sweep,split,method,kind,c,c2,x,y\nnone,train,mds,class_mean,3,,0.5,-1.25\nnone,train,tsne,cross_mean,3,3,2,1.0E-9\n",
        text(Tables.EMBEDDING));
    assertEquals(rows, TableFile.in(dir, Tables.EMBEDDING).read());
  }

  @Test
  void headersFollowTheContract() {
    assertEquals(
        List.of(
            "density.csv", "ritz.csv", "eigenvalues.csv", "trace.csv", "class_structure.csv",
            "summary.csv", "embedding.csv"),
        Tables.all().stream().map(TableSchema::fileName).toList());
    assertEquals(List.of("sweep", "split", "method", "kind", "c", "c2", "x", "y"), Tables.EMBEDDING.columns());
    assertEquals(
        List.of("sweep", "split", "operator", "method", "rank", "eigenvalue", "residual"),
        Tables.EIGENVALUES.columns());
  }

  @Test
  void everyTableRoundTripsExactly() {
    double awkward = 0.1 + 0.2; // 0.30000000000000004: needs all 17 digits
    double tiny = Double.MIN_VALUE;
    roundTrip(
        Tables.DENSITY,
        List.of(
            new DensityRow("", "train", "hessian", "linear", awkward, tiny),
            new DensityRow("10", "test", "G", "log", -1e300, 0)));
    roundTrip(Tables.RITZ, List.of(new RitzRow("", "train", "H", 0, -awkward, 1.0 / 3)));
    roundTrip(
        Tables.EIGENVALUES,
        List.of(new EigenvalueRow("", "train", "hessian", "lanczos", 3, Math.PI, 1e-17)));
    roundTrip(
        Tables.TRACE, List.of(new TraceRow("", "train", "G", "hutchinson", 1e12, awkward, 7)));
    roundTrip(
        Tables.CLASS_STRUCTURE,
        List.of(new ClassStructureRow("51", "train", "within", 1, Math.E)));
    roundTrip(
        Tables.SUMMARY, List.of(new SummaryRow("51", "train", "hessian", "bulk_edge", awkward)));
  }

  private <R> void roundTrip(TableSchema<R> schema, List<R> rows) {
    TableFile<R> file = TableFile.in(dir, schema);
    file.append(rows);
    assertEquals(rows, file.read());
  }

  @Test
  void appendAcrossStagesWritesOneHeaderAndSameBytesAsOneWrite() throws IOException {
    DensityRow a = new DensityRow("10", "train", "hessian", "linear", 1, 2);
    DensityRow b = new DensityRow("10", "test", "hessian", "linear", 1, 3);
    DensityRow c = new DensityRow("51", "train", "hessian", "linear", 1, 4);
    TableFile<DensityRow> staged = TableFile.in(dir.resolve("staged"), Tables.DENSITY);
    staged.append(List.of(a));
    staged.append(List.of(b));
    staged.append(List.of());
    staged.append(List.of(c));
    TableFile<DensityRow> once = TableFile.in(dir.resolve("once"), Tables.DENSITY);
    once.write(List.of(a, b, c));
    assertEquals(List.of(a, b, c), staged.read());
    assertEquals(-1, Files.mismatch(staged.path(), once.path()));
  }

  @Test
  void appendingNothingCreatesTheHeader() throws IOException {
    TableFile<TraceRow> file = TableFile.in(dir, Tables.TRACE);
    assertFalse(file.exists());
    assertEquals(List.of(), file.read());
    file.append(List.of());
    assertEquals(
        "sweep,split,operator,method,estimate,std_error,samples\n", text(Tables.TRACE));
  }

  @Test
  void infinityIsRefused() {
    TableFile<SummaryRow> file = TableFile.in(dir, Tables.SUMMARY);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                file.append(
                    List.of(
                        new SummaryRow(
                            "", "train", "hessian", "bulk_edge", Double.POSITIVE_INFINITY))));
    assertTrue(e.getMessage().contains("value"), e.getMessage());
  }

  @Test
  void wrongHeaderIsRefused() throws IOException {
    Files.writeString(dir.resolve("summary.csv"), "a,b,c\n");
    TableFile<SummaryRow> file = TableFile.in(dir, Tables.SUMMARY);
    assertThrows(IllegalStateException.class, file::read);
    assertThrows(
        IllegalStateException.class,
        () -> file.append(List.of(new SummaryRow("", "train", "G", "x", 1))));
  }

  @Test
  void truncatedTailIsRefusedThenRepaired() throws IOException {
    TableFile<RitzRow> file = TableFile.in(dir, Tables.RITZ);
    RitzRow kept = new RitzRow("", "train", "hessian", 0, 1.5, 0.5);
    file.append(List.of(kept));
    // A crash mid-write: "0.25" cut to "0.2" would otherwise read back as a different number.
    Files.writeString(
        file.path(), ",train,hessian,1,2.5,0.2", StandardOpenOption.APPEND);
    assertThrows(IllegalStateException.class, file::read);
    assertTrue(file.repairTruncatedTail());
    assertFalse(file.repairTruncatedTail());
    assertEquals(List.of(kept), file.read());
  }

  @Test
  void retainDropsAnUnfinishedStage() {
    TableFile<SummaryRow> file = TableFile.in(dir, Tables.SUMMARY);
    SummaryRow done = new SummaryRow("10", "train", "hessian", "bulk_edge", 1);
    SummaryRow half = new SummaryRow("51", "train", "hessian", "bulk_edge", 2);
    file.append(List.of(done, half));
    assertEquals(1, file.retain(r -> !r.sweep().equals("51")));
    assertEquals(List.of(done), file.read());
    assertEquals(0, file.retain(r -> true));
  }

  @Test
  void badCellsAreReportedWithTheirLine() throws IOException {
    Files.writeString(
        dir.resolve("trace.csv"),
        "sweep,split,operator,method,estimate,std_error,samples\n,train,G,exact,NaN,,3\n");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TableFile.in(dir, Tables.TRACE).read());
    assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("estimate"),
        e.getMessage());
  }

  @Test
  void rowsValidateTheirLabels() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new DensityRow("", "train", "hessian", "semilog", 0, 0));
    assertThrows(
        IllegalArgumentException.class, () -> new SummaryRow(null, "train", "G", "q", 0));
    assertThrows(
        IllegalArgumentException.class, () -> new SummaryRow("", " ", "G", "q", 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> new EigenvalueRow("", "train", "G", "exact", -1, 0, 0));
  }
}
