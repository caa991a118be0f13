package org.hesspec.experiments.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportTest {

  private static BenchRow ours(String w, String metric, double median) {
    return new BenchRow(w, "hesspec", metric, "s", median, median * 0.9, median * 1.2, 10, 2);
  }

  private static BenchRow single(String w, String metric, String unit, double value) {
    return BenchRow.single(w, "hesspec", metric, unit, value, 2);
  }

  private static BenchRow peer(String w, String metric, String unit, double median) {
    return new BenchRow(w, "pytorch", metric, unit, median, median * 0.5, median * 2, 10, 2);
  }

  private static BenchRow ratio(String w, String metric, double median, double min, double max) {
    return new BenchRow(w, Interleaved.RATIO_TOOL, metric, "ratio", median, min, max, 10, 2);
  }

  /**
   * mlp: gradient 40 ms, Hess v 100 ms (6 GFLOP: 60 GFLOP/s = 60% of 100), G v 120 ms, H v 140 ms;
   * peer Hess v 250 ms, paired ratios of interleaved rounds 0.42 (0.35..0.47) and against
   * hvp_reuse 0.9 (0.8..1.1). cnn without a peer, with its own matmul rate 50 GFLOP/s.
   */
  private static List<BenchRow> sample() {
    List<BenchRow> rows = new ArrayList<>();
    rows.add(single("mlp", "params", "count", 1_863_690));
    rows.add(ours("mlp", "gradient", 0.040));
    rows.add(single("mlp", "gradient_gflop", "GFLOP", 2.0));
    rows.add(ours("mlp", "hessian_vp", 0.100));
    rows.add(single("mlp", "hessian_vp_gflop", "GFLOP", 6.0));
    rows.add(ours("mlp", "G_vp", 0.120));
    rows.add(single("mlp", "G_vp_gflop", "GFLOP", 5.0));
    rows.add(ours("mlp", "H_vp", 0.140));
    rows.add(single("mlp", "H_vp_gflop", "GFLOP", 6.0));
    rows.add(single("mlp", "density_run", "s", 11.5));
    rows.add(new BenchRow("mlp", "hesspec", "density_step", "s", 0.104, 0.104, 0.104, 80, 2));
    rows.add(new BenchRow("mlp", "hesspec", "lanczos_overhead", "s", 0.004, 0.004, 0.004, 80, 2));
    rows.add(single("mlp", "peak_rss_mib", "MiB", 900));
    rows.add(peer("mlp", "params", "count", 1_863_690));
    rows.add(peer("mlp", "gradient", "s", 0.064));
    rows.add(peer("mlp", "hessian_vp", "s", 0.250));
    rows.add(peer("mlp", "hessian_vp_reuse", "s", 0.106));
    rows.add(peer("mlp", "density_run", "s", 21.7));
    rows.add(peer("mlp", "peak_rss_mib", "MiB", 1040));
    rows.add(ratio("mlp", "hessian_vp", 0.42, 0.35, 0.47));
    rows.add(ratio("mlp", "hessian_vp_reuse", 0.9, 0.8, 1.1));
    rows.add(new BenchRow("mlp", "tensorflow", "matmul_gflops", "GFLOP/s", 100, 80, 120, 12, 2));
    rows.add(new BenchRow("mlp", "tensorflow", "triad_gbs", "GB/s", 12.5, 10, 14, 12, 2));
    rows.add(new BenchRow("mlp", "machine", "load_1m", "load", 3.5, 2.25, 4.5, 12, 0));
    rows.add(single("cnn", "params", "count", 421_642));
    rows.add(new BenchRow("cnn", "tensorflow", "matmul_gflops", "GFLOP/s", 50, 50, 50, 1, 2));
    rows.add(single("cnn", "hessian_vp_gflop", "GFLOP", 3.0));
    rows.add(ours("cnn", "gradient", 0.100));
    rows.add(ours("cnn", "hessian_vp", 0.300));
    rows.add(new BenchRow("machine", "tensorflow", "matmul_gflops", "GFLOP/s", 100, 90, 110, 10, 2));
    rows.add(new BenchRow("machine", "tensorflow", "triad_gbs", "GB/s", 13, 12, 14, 10, 2));
    rows.add(BenchRow.single("machine", "machine", "load_1m", "load", 1.25, 0));
    return rows;
  }

  @Test
  void csvRoundTrip(@TempDir Path dir) {
    List<BenchRow> rows = new ArrayList<>(sample());
    rows.add(new BenchRow("mlp", "hesspec", "density_step", "s", Double.NaN, Double.NaN, Double.NaN, 0, 2));
    Path file = dir.resolve("sub/bench.csv");
    BenchReport.write(rows, file);
    assertEquals(rows, BenchReport.read(file));
  }

  @Test
  void countsAreWrittenAsIntegers() {
    // pandas then reads the column as integers; other units keep Java's shortest round-trip decimal.
    assertEquals("train_epoch,hesspec,params,count,447338,447338,447338,1,2",
        BenchReport.csvLine(BenchRow.single("train_epoch", "hesspec", "params", BenchRow.COUNT, 447338, 2)));
    assertEquals("train_epoch,hesspec,peak_rss_mib,MiB,1200.0,1200.0,1200.0,1,2",
        BenchReport.csvLine(BenchRow.single("train_epoch", "hesspec", "peak_rss_mib", BenchRow.MIB, 1200, 2)));
  }

  @Test
  void csvHasTheContractHeader() {
    String csv = BenchReport.csv(List.of(ours("mlp", "gradient", 0.04)));
    assertEquals("workload,tool,metric,unit,median,min,max,runs,threads", csv.lines().findFirst().orElseThrow());
    assertEquals("mlp,hesspec,gradient,s,0.04,0.036000000000000004,0.048,10,2", csv.lines().skip(1).findFirst().orElseThrow());
    assertThrows(IllegalArgumentException.class, () -> BenchReport.parse(List.of("a,b", "1,2")));
    // the old header (a time column holding MiB and GFLOP/s) is refused, as are rows without a unit
    assertThrows(IllegalArgumentException.class,
        () -> BenchReport.parse(List.of("workload,tool,metric,median_s,min_s,max_s,runs,threads", "mlp,hesspec,x,1,1,1,1,2")));
    assertThrows(IllegalArgumentException.class, () -> BenchReport.parseRow("mlp,hesspec,gradient,0.04,0.03,0.05,10,2"));
    assertThrows(IllegalArgumentException.class, () -> BenchReport.parseRow("mlp,hesspec,gradient,,0.04,0.03,0.05,10,2"));
  }

  @Test
  void everyRowOfTheSampleHasItsUnit() {
    for (BenchRow r : sample()) {
      String expected = r.metric().endsWith("_gflop") ? "GFLOP" : r.metric().endsWith("_mib") ? "MiB"
          : r.metric().equals("params") ? "count" : r.metric().equals("matmul_gflops") ? "GFLOP/s"
          : r.metric().equals("triad_gbs") ? "GB/s" : r.metric().equals("load_1m") ? "load"
          : r.tool().equals(Interleaved.RATIO_TOOL) ? "ratio" : "s";
      assertEquals(expected, r.unit(), r.toString());
    }
  }

  private static String line(String table, String start) {
    return table.lines().filter(l -> l.startsWith(start)).findFirst().orElseThrow(() -> new AssertionError("no line " + start
        + " in\n" + table));
  }

  private static List<String> fields(String line) {
    return Arrays.asList(line.trim().split("\\s+"));
  }

  @Test
  void tableShowsHeaderRatesAndPairedRatios() {
    String t = BenchReport.table(sample(), new BenchReport.Context(2, 1, "2.18.0", "PyTorch 1.13 peer: 2 threads"));
    assertTrue(t.startsWith("hesspec: TensorFlow 2.18.0 (TF Java), float32, intra-op 2 threads, inter-op 1\n"
        + "PyTorch 1.13 peer: 2 threads\n"), t);
    assertTrue(t.contains("machine before the workloads (TensorFlow, 2048^2 float32 matmul; triad a <- a - s b on 64 MiB vectors): "
        + "matmul 100.0 (90.0..110.0) GFLOP/s, triad 13.0 (12.0..14.0) GB/s, load 1.25\n"), t);
    assertTrue(t.contains("mlp: p = 1,863,690 parameters, n = 1000 examples; 10 interleaved rounds\n"
        + "  same window: matmul 100.0 (80.0..120.0) GFLOP/s, triad 12.5 (10.0..14.0) GB/s, load 3.50 (2.25..4.50)\n"), t);
    // metric, median, min..max, x_grad, GFLOP, GFLOP/s, %matmul (of the workload's window), pytorch, paired ratio and range
    assertEquals(List.of("mlp", "hessian_vp", "0.1000", "s", "0.0900..0.1200", "2.50", "6.000", "60.0", "60%", "0.2500", "s", "0.42",
        "0.35..0.47"), fields(line(t, "mlp        hessian_vp ")));
    // density_step does one Hess v: rate = 6 / 0.104
    assertEquals(List.of("mlp", "density_step", "0.1040", "s", "6.000", "57.7", "58%", "-", "-"), fields(line(t, "mlp        density_step")));
    // measured once: the ratio of the two values, no range
    assertEquals(List.of("mlp", "density_run", "11.5000", "s", "21.7000", "s", "0.53"), fields(line(t, "mlp        density_run")));
    // no paired ratio for the gradient in the sample: the ratio of medians, no range
    assertEquals(List.of("mlp", "gradient", "0.0400", "s", "0.0360..0.0480", "1.00", "2.000", "50.0", "50%", "0.0640", "s", "0.63"),
        fields(line(t, "mlp        gradient")));
    // like for like: hesspec's cached Hess v next to PyTorch's hvp_reuse
    assertEquals(List.of("mlp", "hessian_vp_reuse", "0.1000", "s", "0.0900..0.1200", "2.50", "6.000", "60.0", "60%", "0.1060", "s", "0.90",
        "0.80..1.10"), fields(line(t, "mlp        hessian_vp_reuse")));
    assertEquals(List.of("mlp", "peak_rss_mib", "900", "MiB", "1040", "MiB", "0.87"), fields(line(t, "mlp        peak_rss_mib")));
    // no peer row for cnn; cnn's own matmul rate (50) is the ceiling: 3 GFLOP / 0.3 s = 10 GFLOP/s = 20%
    assertTrue(t.contains("cnn: p = 421,642 parameters, n = 500 examples; 10 interleaved rounds\n"
        + "  same window: matmul 50.0 GFLOP/s, triad - GB/s, load -\n"), t);
    assertEquals(List.of("cnn", "hessian_vp", "0.3000", "s", "0.2700..0.3600", "3.00", "3.000", "10.0", "20%", "-", "-"),
        fields(line(t, "cnn        hessian_vp")));
    assertFalse(t.contains("\nmachine   "), t); // the machine's rows are in the header, not a workload
    assertTrue(t.contains("FULL\n    reorthogonalisation"), t);
  }

  @Test
  void targetLines() {
    String t = BenchReport.table(sample(), new BenchReport.Context(2, 1, "x", "peer"));
    // the paired ratio's median and range, not the ratio of medians (0.40)
    assertTrue(line(t, "  mlp        Hess v <= 0.5x PyTorch hvp_full").matches(".*\\s0\\.42x \\(0\\.35\\.\\.0\\.47\\)  PASS"), t);
    assertTrue(line(t, "  mlp          cached Hess v <= 0.5x hvp_reuse").matches(".*\\s0\\.90x \\(0\\.80\\.\\.1\\.10\\)  FAIL"), t);
    assertTrue(line(t, "  mlp        Hess v / gradient <= 2.2").matches(".*\\s2\\.50  FAIL"), t);
    assertTrue(line(t, "  mlp        G v <= 1.3x Hess v").matches(".*\\s1\\.20x  PASS"), t);
    assertTrue(line(t, "  mlp        H v <= 1.3x Hess v").matches(".*\\s1\\.40x  FAIL"), t);
    assertTrue(line(t, "  mlp        Hess v >= 60% of the matmul rate").matches(".*\\s60%  PASS"), t);
    assertTrue(line(t, "  mlp        Lanczos overhead < 3% of a step").matches(".*\\s3\\.85%  FAIL"), t);
    assertTrue(line(t, "  cnn        Hess v <= 0.5x PyTorch hvp_full").matches(".*\\(no peer\\)  n/a"), t);
    assertTrue(line(t, "  cnn        G v <= 1.3x Hess v").matches(".*\\s-  n/a"), t);
    // the matmul-rate and Lanczos targets are for mlp and p >= 1M only
    assertFalse(t.contains("  cnn        Hess v >= 60%"), t);
    assertFalse(t.contains("  cnn        Lanczos"), t);
  }

  @Test
  void lanczosTargetReadsTheMedianShareOverSteps() {
    List<BenchRow> rows = new ArrayList<>(sample());
    // the per-step share's median (2.5%) decides, not lanczos_overhead / density_step (3.85%)
    rows.add(new BenchRow("mlp", "hesspec", "lanczos_overhead_share", "ratio", 0.025, 0.02, 0.09, 80, 2));
    String t = BenchReport.table(rows, new BenchReport.Context(2, 1, "x", "peer"));
    assertTrue(line(t, "  mlp        Lanczos overhead < 3% of a step").matches(".*\\s2\\.50% \\(steps 2\\.00\\.\\.9\\.00%\\)  PASS"), t);
  }

  @Test
  void stepTimesPairEachStepWithItsProduct() {
    // walls 0, 100, 210, 300 ms; product time 0, 96, 201, 287 ms: steps 100, 110, 90; outside 4, 5, 4
    List<long[]> marks = List.of(new long[] {0, 0}, new long[] {100_000_000, 96_000_000}, new long[] {210_000_000, 201_000_000},
        new long[] {300_000_000, 287_000_000});
    Benchmark.StepTimes s = Benchmark.StepTimes.of(marks);
    assertEquals(0.100, s.meanStep(), 1e-12);
    assertEquals(0.090, s.step().min(), 1e-12);
    assertEquals(0.110, s.step().max(), 1e-12);
    assertEquals(0.004, s.overhead().median(), 1e-12);
    assertEquals(0.013 / 3, s.meanOverhead(), 1e-12);
    assertEquals(0.004 / 0.090, s.share().median(), 1e-12);
    assertEquals(0.004 / 0.100, s.share().min(), 1e-12);
    assertEquals(0.005 / 0.110, s.share().max(), 1e-12);
    assertEquals(3, s.share().runs());
    assertEquals(0, Benchmark.StepTimes.of(List.of(new long[] {0, 0})).share().runs());
  }
}
