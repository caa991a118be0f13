package org.hesspec.experiments.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hesspec.curvature.SessionSettings;

/** Reads and writes {@code bench.csv} and prints the side-by-side table with ratios. */
public final class BenchReport {

  static final String HEADER = "workload,tool,metric,median_s,min_s,max_s,runs,threads";

  private BenchReport() {}

  /** The machine's own rows: dense matmul rate (GFLOP/s in the time columns), under workload "machine". */
  public static List<BenchRow> machineRows(SessionSettings settings) {
    double g = MatmulRate.gflops(settings, 5);
    return List.of(new BenchRow("machine", "tensorflow", "matmul_gflops", g, g, g, 5, settings.intraOpThreads()));
  }

  /** Writes rows atomically (temp file + move). */
  public static void write(List<BenchRow> rows, Path file) {
    StringBuilder s = new StringBuilder(HEADER).append('\n');
    for (BenchRow r : rows) {
      s.append(String.join(",", r.workload(), r.tool(), r.metric(), num(r.medianS()), num(r.minS()), num(r.maxS()),
          Integer.toString(r.runs()), Integer.toString(r.threads()))).append('\n');
    }
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".bench-", ".csv");
      Files.writeString(tmp, s, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  public static List<BenchRow> read(Path file) {
    try {
      List<BenchRow> rows = new ArrayList<>();
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.split(",", -1);
        rows.add(new BenchRow(f[0], f[1], f[2], Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]),
            Integer.parseInt(f[6]), Integer.parseInt(f[7])));
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static String num(double x) {
    return Double.isNaN(x) ? "" : Double.toString(x);
  }

  /** A table: one line per workload and metric, hesspec and peer side by side, and ratios to the gradient. */
  public static String table(List<BenchRow> rows) {
    StringBuilder s = new StringBuilder();
    Map<String, Map<String, BenchRow>> ours = new LinkedHashMap<>();
    Map<String, Map<String, BenchRow>> peer = new LinkedHashMap<>();
    for (BenchRow r : rows) {
      (r.tool().equals("pytorch") ? peer : ours).computeIfAbsent(r.workload(), k -> new LinkedHashMap<>()).put(r.metric(), r);
    }
    s.append(String.format(Locale.ROOT, "%-10s %-14s %12s %12s %10s %12s %10s%n", "workload", "metric", "hesspec_s", "spread_s",
        "x_grad", "pytorch_s", "hs/pt"));
    for (var e : ours.entrySet()) {
      if (e.getKey().equals("machine")) {
        continue;
      }
      BenchRow grad = e.getValue().get("gradient");
      for (BenchRow r : e.getValue().values()) {
        BenchRow p = peer.getOrDefault(e.getKey(), Map.of()).get(r.metric());
        boolean mem = r.metric().equals("peak_rss_mib");
        s.append(String.format(Locale.ROOT, "%-10s %-14s %12.4f %12s %10s %12s %10s%n", r.workload(), r.metric() + (mem ? " (MiB)" : ""),
            r.medianS(), mem ? "" : String.format(Locale.ROOT, "%.4f-%.4f", r.minS(), r.maxS()),
            mem || grad == null ? "" : String.format(Locale.ROOT, "%.2f", r.medianS() / grad.medianS()),
            p == null ? "-" : String.format(Locale.ROOT, "%.4f", p.medianS()),
            p == null ? "-" : String.format(Locale.ROOT, "%.2f", r.medianS() / p.medianS())));
      }
    }
    for (BenchRow r : rows) {
      if (r.workload().equals("machine")) {
        s.append(String.format(Locale.ROOT, "machine: dense float32 matmul %.1f GFLOP/s (%d intra-op threads)%n", r.medianS(), r.threads()));
      }
    }
    return s.toString();
  }
}
