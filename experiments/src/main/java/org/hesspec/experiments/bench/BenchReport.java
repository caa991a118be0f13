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
import org.hesspec.spectral.SpectrumBounds;

/** Reads and writes {@code bench.csv} and prints the side-by-side table with rates, ratios and the issue-7 targets. */
public final class BenchReport {

  static final String HEADER = "workload,tool,metric,median_s,min_s,max_s,runs,threads";

  /** Time metrics in table order; the peer-only {@code hessian_vp_reuse} and memory follow. */
  static final List<String> TIME_METRICS = List.of("gradient", "hessian_vp", "G_vp", "H_vp", "hessian_vp_nocache",
      "hessian_vp_copy", "hessian_vp_reuse", "density_run", "density_step", "lanczos_overhead", TrainEpochBench.NAME);

  /**
   * Like-for-like rows: hesspec's Hess v with the product cache is what PyTorch's hvp_reuse is
   * (forward pass and gradient kept), so that row shows it; the uncached and copying variants
   * recompute everything, as hvp_full does.
   */
  private static final Map<String, String> OURS_FOR = Map.of("hessian_vp_reuse", "hessian_vp");
  private static final Map<String, String> PEER_FOR = Map.of("hessian_vp_nocache", "hessian_vp", "hessian_vp_copy", "hessian_vp");

  /** Products whose flop count and rate are shown (density_step does one Hess v). */
  private static final Map<String, String> FLOPS_OF = Map.of("gradient", "gradient", "hessian_vp", "hessian_vp", "G_vp", "G_vp",
      "H_vp", "H_vp", "hessian_vp_nocache", "hessian_vp_nocache", "hessian_vp_copy", "hessian_vp_nocache", "hessian_vp_reuse",
      "hessian_vp", "density_step", "hessian_vp");

  /**
   * What the table header says about the run.
   *
   * @param intraOp hesspec's intra-op threads
   * @param interOp hesspec's inter-op threads
   * @param tensorflow the TensorFlow version
   * @param peer one line about the peer: its threads and BLAS, or why it did not run
   */
  public record Context(int intraOp, int interOp, String tensorflow, String peer) {}

  private BenchReport() {}

  /** The machine's own rows: dense matmul rate (GFLOP/s in the time columns), under workload "machine". */
  public static List<BenchRow> machineRows(SessionSettings settings) {
    Timing g = MatmulRate.gflops(settings, 10);
    return List.of(BenchRow.of("machine", "tensorflow", "matmul_gflops", g, settings.intraOpThreads()));
  }

  /** Writes rows atomically (temp file + move). */
  public static void write(List<BenchRow> rows, Path file) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".bench-", ".csv");
      Files.writeString(tmp, csv(rows), StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  static String csv(List<BenchRow> rows) {
    StringBuilder s = new StringBuilder(HEADER).append('\n');
    for (BenchRow r : rows) {
      s.append(String.join(",", r.workload(), r.tool(), r.metric(), num(r.medianS()), num(r.minS()), num(r.maxS()),
          Integer.toString(r.runs()), Integer.toString(r.threads()))).append('\n');
    }
    return s.toString();
  }

  public static List<BenchRow> read(Path file) {
    try {
      return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  static List<BenchRow> parse(List<String> lines) {
    if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
      throw new IllegalArgumentException("not a bench CSV: expected the header " + HEADER);
    }
    List<BenchRow> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",", -1);
      rows.add(new BenchRow(f[0], f[1], f[2], parseNum(f[3]), parseNum(f[4]), parseNum(f[5]), Integer.parseInt(f[6]),
          Integer.parseInt(f[7])));
    }
    return rows;
  }

  private static String num(double x) {
    return Double.isNaN(x) ? "" : Double.toString(x);
  }

  private static double parseNum(String s) {
    return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
  }

  /** The rows indexed as tool -> workload -> metric. */
  private static Map<String, Map<String, Map<String, BenchRow>>> index(List<BenchRow> rows) {
    Map<String, Map<String, Map<String, BenchRow>>> m = new LinkedHashMap<>();
    for (BenchRow r : rows) {
      m.computeIfAbsent(r.tool(), k -> new LinkedHashMap<>()).computeIfAbsent(r.workload(), k -> new LinkedHashMap<>())
          .put(r.metric(), r);
    }
    return m;
  }

  private static double value(Map<String, BenchRow> m, String metric) {
    BenchRow r = m == null ? null : m.get(metric);
    return r == null ? Double.NaN : r.medianS();
  }

  /** The table: header with thread settings, one line per workload and metric, target checks, notes. */
  public static String table(List<BenchRow> rows, Context ctx) {
    var idx = index(rows);
    Map<String, Map<String, BenchRow>> ours = idx.getOrDefault("hesspec", Map.of());
    Map<String, Map<String, BenchRow>> peer = idx.getOrDefault("pytorch", Map.of());
    BenchRow mm = idx.getOrDefault("tensorflow", Map.of()).getOrDefault("machine", Map.of()).get("matmul_gflops");
    double matmul = mm == null ? Double.NaN : mm.medianS();
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "hesspec: TensorFlow %s (TF Java), float32, intra-op %d threads, inter-op %d%n",
        ctx.tensorflow(), ctx.intraOp(), ctx.interOp()));
    s.append(ctx.peer()).append('\n');
    s.append(mm == null ? "dense matmul rate: not measured\n\n" : String.format(Locale.ROOT,
        "dense float32 matmul 2048x2048 (TensorFlow, this run): %.1f GFLOP/s median of %d (%.1f..%.1f)%n%n", matmul, mm.runs(),
        mm.minS(), mm.maxS()));
    String fmt = "%-10s %-17s %11s %17s %7s %8s %8s %8s %11s %7s %7s%n";
    s.append(String.format(Locale.ROOT, fmt, "workload", "metric", "hesspec", "min..max", "x_grad", "GFLOP", "GFLOP/s", "%matmul",
        "pytorch", "hs/pt", "min/min"));
    List<String> workloads = new ArrayList<>(ours.keySet());
    peer.keySet().stream().filter(w -> !workloads.contains(w)).forEach(workloads::add);
    for (String w : workloads) {
      Map<String, BenchRow> o = ours.getOrDefault(w, Map.of());
      Map<String, BenchRow> p = peer.getOrDefault(w, Map.of());
      double params = Double.isNaN(value(o, "params")) ? value(p, "params") : value(o, "params");
      double ceiling = Double.isNaN(value(o, "matmul_gflops")) ? matmul : value(o, "matmul_gflops");
      s.append(String.format(Locale.ROOT, "%s: p = %,.0f parameters%s%s%n", w, params, examples(w),
          Double.isNaN(value(o, "matmul_gflops")) ? "" : f("; dense matmul in its process %.1f GFLOP/s", ceiling)));
      for (String metric : TIME_METRICS) {
        BenchRow r = o.get(OURS_FOR.getOrDefault(metric, metric));
        BenchRow q = p.get(PEER_FOR.getOrDefault(metric, metric));
        if (r == null && q == null) {
          continue;
        }
        String ratio = r == null || q == null ? "-" : f("%.2f", r.medianS() / q.medianS());
        String minRatio = r == null || q == null || r.runs() < 2 || q.runs() < 2 || metric.startsWith("density") ? ""
            : f("%.2f", r.minS() / q.minS());
        String xGrad = "";
        String gflop = "";
        String rate = "";
        String pct = "";
        if (r != null) {
          double grad = value(o, "gradient");
          boolean product = FLOPS_OF.containsKey(metric) && !metric.equals("density_step");
          xGrad = product && grad > 0 ? f("%.2f", r.medianS() / grad) : "";
          double count = FLOPS_OF.containsKey(metric) ? value(o, FLOPS_OF.get(metric) + "_gflop") : Double.NaN;
          if (!Double.isNaN(count)) {
            gflop = f("%.3f", count);
            rate = f("%.1f", count / r.medianS());
            pct = Double.isNaN(ceiling) ? "" : f("%.0f%%", 100 * count / r.medianS() / ceiling);
          }
        }
        s.append(String.format(Locale.ROOT, fmt, w, metric, r == null ? "-" : f("%.4f s", r.medianS()),
            r == null || r.runs() < 2 || metric.startsWith("density") || metric.equals("lanczos_overhead") ? ""
                : f("%.4f..%.4f", r.minS(), r.maxS()),
            xGrad, gflop, rate, pct, q == null ? "-" : f("%.4f s", q.medianS()), ratio, minRatio));
      }
      BenchRow mem = o.get("peak_rss_mib");
      BenchRow pmem = p.get("peak_rss_mib");
      if (mem != null || pmem != null) {
        s.append(String.format(Locale.ROOT, fmt, w, "peak_rss_mib", mem == null ? "-" : f("%.0f MiB", mem.medianS()), "", "", "",
            "", "", pmem == null ? "-" : f("%.0f MiB", pmem.medianS()),
            mem == null || pmem == null ? "-" : f("%.2f", mem.medianS() / pmem.medianS()), ""));
      }
      BenchRow grown = o.get("density_memory_mib");
      if (grown != null) {
        s.append(String.format(Locale.ROOT, fmt, w, "density_memory", f("%.0f MiB", grown.medianS()), "", "", "", "", "",
            f("= %.1f p-vectors", value(o, "density_memory_pvectors")), "", ""));
      }
      BenchRow cache = o.get("product_cache_mib");
      if (cache != null) {
        s.append(String.format(Locale.ROOT, fmt, w, "product_cache", f("%.1f MiB", cache.medianS()), "", "", "", "", "", "", "", ""));
      }
    }
    s.append('\n').append(targets(ours, peer, matmul));
    int steps = ours.values().stream().map(m -> m.get("density_step")).filter(r -> r != null).mapToInt(BenchRow::runs).findFirst()
        .orElse(Benchmark.DENSITY_STEPS);
    s.append('\n').append(notes(steps));
    return s.toString();
  }

  private static String examples(String workload) {
    try {
      return ", n = " + BenchWorkload.named(workload).examples() + " examples";
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  /** The issue-7 targets as measured: one line each, value and PASS/FAIL (n/a where a value is missing). */
  static String targets(Map<String, Map<String, BenchRow>> ours, Map<String, Map<String, BenchRow>> peer, double matmul) {
    StringBuilder s = new StringBuilder("issue-7 targets (measured in this run, not asserted):\n");
    for (var e : ours.entrySet()) {
      String w = e.getKey();
      Map<String, BenchRow> o = e.getValue();
      if (w.equals(TrainEpochBench.NAME)) {
        s.append(target(w, "train epoch <= 1.0x PyTorch's", value(o, w) / value(peer.get(w), w), "%.2fx", true, 1.0,
            peer.containsKey(w) ? null : "no peer"));
        continue;
      }
      double hess = value(o, "hessian_vp");
      double peerHess = value(peer.get(w), "hessian_vp");
      s.append(target(w, "Hess v <= 0.5x PyTorch hvp_full", hess / peerHess, "%.2fx", true, 0.5,
          peer.containsKey(w) ? null : "no peer"));
      // the same target like for like: recomputing everything vs hvp_full, cached vs hvp_reuse
      s.append(target(w, "  uncached Hess v <= 0.5x hvp_full", value(o, "hessian_vp_nocache") / peerHess, "%.2fx", true, 0.5,
          peer.containsKey(w) ? null : "no peer"));
      s.append(target(w, "  cached Hess v <= 0.5x hvp_reuse", hess / value(peer.get(w), "hessian_vp_reuse"), "%.2fx", true, 0.5,
          peer.containsKey(w) ? null : "no peer"));
      s.append(target(w, "Hess v / gradient <= 2.2", hess / value(o, "gradient"), "%.2f", true, 2.2, null));
      s.append(target(w, "G v <= 1.3x Hess v", value(o, "G_vp") / hess, "%.2fx", true, 1.3, null));
      s.append(target(w, "H v <= 1.3x Hess v", value(o, "H_vp") / hess, "%.2fx", true, 1.3, null));
      if (w.equals("mlp")) {
        double ceiling = Double.isNaN(value(o, "matmul_gflops")) ? matmul : value(o, "matmul_gflops");
        double pct = 100 * value(o, "hessian_vp_gflop") / hess / ceiling;
        s.append(target(w, "Hess v >= 60% of the matmul rate", pct, "%.0f%%", false, 60, null));
      }
      if (o.containsKey("density_memory_pvectors")) {
        s.append(target(w, "density run <= 8 p-vectors (+ data, cache)", value(o, "density_memory_pvectors"), "%.1f", true, 8,
            null));
      }
      if (value(o, "params") >= 1e6) {
        double pct = 100 * value(o, "lanczos_overhead") / value(o, "density_step");
        s.append(target(w, "Lanczos overhead < 3% of a step (p >= 1M)", pct, "%.2f%%", true, 3, null));
      }
    }
    return s.toString();
  }

  /** One target line; {@code atMost}: the value must be at most (else at least) the limit. */
  static String target(String w, String what, double value, String valueFormat, boolean atMost, double limit, String missing) {
    String verdict;
    String shown;
    if (missing != null || Double.isNaN(value)) {
      verdict = "n/a";
      shown = missing != null ? "(" + missing + ")" : "-";
    } else {
      verdict = (atMost ? value <= limit : value >= limit) ? "PASS" : "FAIL";
      shown = f(valueFormat, value);
    }
    return String.format(Locale.ROOT, "  %-10s %-43s %10s  %s%n", w, what, shown, verdict);
  }

  /** The footnotes, for density runs of {@code m} Lanczos steps. */
  static String notes(int m) {
    return "notes:\n"
        + "  GFLOP: MatMul/BatchMatMul (2mkn) and Conv2D, Conv2DBackpropInput, Conv2DBackpropFilter (2*out*kh*kw*Cin) of the\n"
        + "    ops the product runs, from static shapes with batch n; element-wise ops, reductions, pooling not counted.\n"
        + "    GFLOP/s = GFLOP / median; %matmul = share of the median dense 2048^2 matmul rate measured in the workload's\n"
        + "    process right after its products (the machine's, above, where absent).\n"
        + "  density_run: hesspec = SpectralDensity.estimate, M = " + m + ", K = 1, plain Lanczos (no "
        + "reorthogonalisation),\n    plus its " + SpectrumBounds.DEFAULT_STEPS + "-step bounds run (" + (m + SpectrumBounds.DEFAULT_STEPS)
        + " Hess v in all); pytorch = PyHessian-style density(), " + m
        + " steps with FULL\n    reorthogonalisation, Hess v = hvp_full. density_step: hesspec = mean step of the "
        + m + "-step run; pytorch = slq_total / " + m + ".\n"
        + "  gradient, hessian_vp, G_vp, H_vp: v and the result kept in TensorFlow (as Lanczos uses them, and as the peer's stay\n"
        + "    in PyTorch), with the product cache: the forward pass and gradient signals of each batch, computed once per theta\n"
        + "    and fed to later products (the density run's products all use it). hessian_vp_nocache recomputes everything (as\n"
        + "    hvp_full does, and is compared with it); hessian_vp_copy: uncached, called from Java with double[] in and out;\n"
        + "    hessian_vp_reuse row: hesspec's cached Hess v next to PyTorch's hvp_reuse.\n"
        + "  lanczos_overhead: per step, the time outside the product runs (same run; the Lanczos vectors stay in TensorFlow:\n"
        + "    the update, the affine shift, session calls). PyTorch's hvp_reuse keeps a first-order graph (PyHessian on one\n"
        + "    batch).\n"
        + "  density_memory: the density run's working memory: its peak resident memory (VmHWM, reset before it) minus what\n"
        + "    the process held before it (model, data, graph, session and one Hess v, which built the ops and filled the\n"
        + "    cache), plus the 2 p-vectors v and the accumulator that Hess v allocated; in p-vectors of the model's precision.\n"
        + "    Measured first, before any other product. product_cache: the v-independent tensors kept (a data-sized cost).\n"
        + "  x_grad = median / the gradient median; hs/pt = hesspec / pytorch medians (targets use these); min/min = the same\n"
        + "    for the fastest runs, less affected by other processes on the machine; peak_rss: hesspec = the workload's JVM\n"
        + "    (VmHWM), pytorch = the workload's Python process (ru_maxrss).\n";
  }

  private static String f(String format, double... x) {
    return String.format(Locale.ROOT, format, (Object[]) java.util.Arrays.stream(x).boxed().toArray(Double[]::new));
  }
}
