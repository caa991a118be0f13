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
    return new BenchRow(w, "hesspec", metric, median, median * 0.9, median * 1.2, 10, 2);
  }

  private static BenchRow single(String w, String metric, double value) {
    return new BenchRow(w, "hesspec", metric, value, value, value, 1, 2);
  }

  private static BenchRow peer(String w, String metric, double median) {
    return new BenchRow(w, "pytorch", metric, median, median * 0.5, median * 2, 10, 2);
  }

  /** mlp: gradient 40 ms, Hess v 100 ms (6 GFLOP: 60 GFLOP/s = 60% of 100), G v 120 ms, H v 140 ms; peer Hess v 250 ms. */
  private static List<BenchRow> sample() {
    List<BenchRow> rows = new ArrayList<>();
    rows.add(single("mlp", "params", 1_863_690));
    rows.add(ours("mlp", "gradient", 0.040));
    rows.add(single("mlp", "gradient_gflop", 2.0));
    rows.add(ours("mlp", "hessian_vp", 0.100));
    rows.add(single("mlp", "hessian_vp_gflop", 6.0));
    rows.add(ours("mlp", "G_vp", 0.120));
    rows.add(single("mlp", "G_vp_gflop", 5.0));
    rows.add(ours("mlp", "H_vp", 0.140));
    rows.add(single("mlp", "H_vp_gflop", 6.0));
    rows.add(single("mlp", "density_run", 11.5));
    rows.add(new BenchRow("mlp", "hesspec", "density_step", 0.104, 0.104, 0.104, 80, 2));
    rows.add(new BenchRow("mlp", "hesspec", "lanczos_overhead", 0.004, 0.004, 0.004, 80, 2));
    rows.add(single("mlp", "peak_rss_mib", 900));
    rows.add(peer("mlp", "params", 1_863_690));
    rows.add(peer("mlp", "gradient", 0.064));
    rows.add(peer("mlp", "hessian_vp", 0.250));
    rows.add(peer("mlp", "hessian_vp_reuse", 0.106));
    rows.add(peer("mlp", "density_run", 21.7));
    rows.add(peer("mlp", "peak_rss_mib", 1040));
    rows.add(single("cnn", "params", 421_642));
    rows.add(single("cnn", "matmul_gflops", 50));
    rows.add(single("cnn", "hessian_vp_gflop", 3.0));
    rows.add(ours("cnn", "gradient", 0.100));
    rows.add(ours("cnn", "hessian_vp", 0.300));
    rows.add(new BenchRow("machine", "tensorflow", "matmul_gflops", 100, 90, 110, 10, 2));
    return rows;
  }

  @Test
  void csvRoundTrip(@TempDir Path dir) {
    List<BenchRow> rows = new ArrayList<>(sample());
    rows.add(new BenchRow("mlp", "hesspec", "density_step", Double.NaN, Double.NaN, Double.NaN, 0, 2));
    Path file = dir.resolve("sub/bench.csv");
    BenchReport.write(rows, file);
    assertEquals(rows, BenchReport.read(file));
  }

  @Test
  void csvHasTheContractHeader() {
    String csv = BenchReport.csv(List.of(ours("mlp", "gradient", 0.04)));
    assertEquals("workload,tool,metric,median_s,min_s,max_s,runs,threads", csv.lines().findFirst().orElseThrow());
    assertEquals("mlp,hesspec,gradient,0.04,0.036000000000000004,0.048,10,2", csv.lines().skip(1).findFirst().orElseThrow());
    assertThrows(IllegalArgumentException.class, () -> BenchReport.parse(List.of("a,b", "1,2")));
  }

  private static String line(String table, String start) {
    return table.lines().filter(l -> l.startsWith(start)).findFirst().orElseThrow(() -> new AssertionError("no line " + start
        + " in\n" + table));
  }

  private static List<String> fields(String line) {
    return Arrays.asList(line.trim().split("\\s+"));
  }

  @Test
  void tableShowsHeaderRatesAndRatios() {
    String t = BenchReport.table(sample(), new BenchReport.Context(2, 1, "2.18.0", "PyTorch 1.13 peer: 2 threads"));
    assertTrue(t.startsWith("hesspec: TensorFlow 2.18.0 (TF Java), float32, intra-op 2 threads, inter-op 1\n"
        + "PyTorch 1.13 peer: 2 threads\n"), t);
    assertTrue(t.contains("matmul 2048x2048 (TensorFlow, this run): 100.0 GFLOP/s"), t);
    assertTrue(t.contains("mlp: p = 1,863,690 parameters, n = 1000 examples"), t);
    // metric, median, min..max, x_grad, GFLOP, GFLOP/s, %matmul, pytorch, hs/pt
    assertEquals(List.of("mlp", "hessian_vp", "0.1000", "s", "0.0900..0.1200", "2.50", "6.000", "60.0", "60%", "0.2500", "s", "0.40", "0.72"),
        fields(line(t, "mlp        hessian_vp ")));
    // density_step does one Hess v: rate = 6 / 0.104
    assertEquals(List.of("mlp", "density_step", "0.1040", "s", "6.000", "57.7", "58%", "-", "-"), fields(line(t, "mlp        density_step")));
    assertEquals(List.of("mlp", "density_run", "11.5000", "s", "21.7000", "s", "0.53"), fields(line(t, "mlp        density_run")));
    // like for like: hesspec's cached Hess v next to PyTorch's hvp_reuse
    assertEquals(List.of("mlp", "hessian_vp_reuse", "0.1000", "s", "0.0900..0.1200", "2.50", "6.000", "60.0", "60%", "0.1060", "s", "0.94",
        "1.70"), fields(line(t, "mlp        hessian_vp_reuse")));
    assertEquals(List.of("mlp", "peak_rss_mib", "900", "MiB", "1040", "MiB", "0.87"), fields(line(t, "mlp        peak_rss_mib")));
    // no peer row for cnn
    // cnn's own matmul rate (50) is the ceiling: 3 GFLOP / 0.3 s = 10 GFLOP/s = 20%
    assertTrue(t.contains("cnn: p = 421,642 parameters, n = 500 examples; dense matmul in its process 50.0 GFLOP/s"), t);
    assertEquals(List.of("cnn", "hessian_vp", "0.3000", "s", "0.2700..0.3600", "3.00", "3.000", "10.0", "20%", "-", "-"),
        fields(line(t, "cnn        hessian_vp")));
    assertFalse(t.contains("machine "), t);
    assertTrue(t.contains("FULL\n    reorthogonalisation"), t);
  }

  @Test
  void targetLines() {
    String t = BenchReport.table(sample(), new BenchReport.Context(2, 1, "x", "peer"));
    assertTrue(line(t, "  mlp        Hess v <= 0.5x PyTorch hvp_full").matches(".*\\s0\\.40x  PASS"), t);
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
}
