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
import org.hesspec.spectral.SpectrumBounds;

/** Reads and writes {@code bench.csv} and prints the side-by-side table with rates, ratios and the issue-7 targets. */
public final class BenchReport {

  static final String HEADER = "workload,tool,metric,unit,median,min,max,runs,threads";

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

  /**
   * The machine's own rows before the workloads, under workload "machine": the dense matmul rate
   * and the triad bandwidth ({@link MatmulRate}, {@code runs} each) and the load average.
   */
  public static List<BenchRow> machineRows(MatmulRate m, int runs, int threads) {
    return List.of(BenchRow.of("machine", "tensorflow", "matmul_gflops", BenchRow.GFLOPS, m.series(runs, true), threads),
        BenchRow.of("machine", "tensorflow", "triad_gbs", BenchRow.GBS, m.series(runs, false), threads),
        BenchRow.single("machine", "machine", "load_1m", BenchRow.LOAD, Interleaved.loadAverage(), 0));
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
      s.append(csvLine(r)).append('\n');
    }
    return s.toString();
  }

  /** One row in the CSV's column order (no unit, median, min, max is written as an empty cell when NaN). */
  static String csvLine(BenchRow r) {
    boolean count = r.unit().equals(BenchRow.COUNT);
    return String.join(",", r.workload(), r.tool(), r.metric(), r.unit(), num(r.median(), count), num(r.min(), count),
        num(r.max(), count), Integer.toString(r.runs()), Integer.toString(r.threads()));
  }

  /** A count as an integer ({@code 447338}, not {@code 447338.0}), as the run tables write counts. */
  private static String num(double x, boolean count) {
    return count && x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : num(x);
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
      if (!line.isBlank()) {
        rows.add(parseRow(line));
      }
    }
    return rows;
  }

  /** One CSV line in the column order of {@link #HEADER}. */
  static BenchRow parseRow(String line) {
    String[] f = line.split(",", -1);
    if (f.length != 9) {
      throw new IllegalArgumentException("bench row with " + f.length + " fields, expected 9 (" + HEADER + "): " + line);
    }
    try {
      return new BenchRow(f[0], f[1], f[2], f[3], parseNum(f[4]), parseNum(f[5]), parseNum(f[6]), Integer.parseInt(f[7]),
          Integer.parseInt(f[8]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bench row with a malformed number: " + line);
    }
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
    return r == null ? Double.NaN : r.median();
  }

  /** "median (min..max)" of a sampled row, with {@code format} for each value; "-" when absent. */
  private static String spread(BenchRow r, String format) {
    if (r == null) {
      return "-";
    }
    return r.runs() < 2 ? f(format, r.median()) : f(format + " (" + format + ".." + format + ")", r.median(), r.min(), r.max());
  }

  /** The machine line of a workload (or of the whole run): matmul rate, triad bandwidth, load, each with its range. */
  private static String machine(Map<String, BenchRow> tensorflow, Map<String, BenchRow> machine) {
    return "matmul " + spread(tensorflow.get("matmul_gflops"), "%.1f") + " GFLOP/s, triad " + spread(tensorflow.get("triad_gbs"), "%.1f")
        + " GB/s, load " + spread(machine.get("load_1m"), "%.2f");
  }

  /** The table: header with thread settings, one line per workload and metric, target checks, notes. */
  public static String table(List<BenchRow> rows, Context ctx) {
    var idx = index(rows);
    Map<String, Map<String, BenchRow>> ours = idx.getOrDefault("hesspec", Map.of());
    Map<String, Map<String, BenchRow>> peer = idx.getOrDefault("pytorch", Map.of());
    Map<String, Map<String, BenchRow>> ratios = idx.getOrDefault(Interleaved.RATIO_TOOL, Map.of());
    Map<String, Map<String, BenchRow>> tf = idx.getOrDefault("tensorflow", Map.of());
    Map<String, Map<String, BenchRow>> mach = idx.getOrDefault("machine", Map.of());
    BenchRow mm = tf.getOrDefault("machine", Map.of()).get("matmul_gflops");
    double matmul = mm == null ? Double.NaN : mm.median();
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "hesspec: TensorFlow %s (TF Java), float32, intra-op %d threads, inter-op %d%n",
        ctx.tensorflow(), ctx.intraOp(), ctx.interOp()));
    s.append(ctx.peer()).append('\n');
    s.append(mm == null ? "machine before the workloads: not measured\n\n"
        : "machine before the workloads (TensorFlow, 2048^2 float32 matmul; triad a <- a - s b on 64 MiB vectors): "
            + machine(tf.get("machine"), mach.getOrDefault("machine", Map.of())) + "\n\n");
    String fmt = "%-10s %-17s %11s %17s %6s %7s %7s %7s %11s %6s %12s%n";
    s.append(String.format(Locale.ROOT, fmt, "workload", "metric", "hesspec", "min..max", "x_grad", "GFLOP", "GFLOP/s", "%matmul",
        "pytorch", "hs/pt", "pair range"));
    List<String> workloads = new ArrayList<>(ours.keySet());
    peer.keySet().stream().filter(w -> !workloads.contains(w)).forEach(workloads::add);
    for (String w : workloads) {
      Map<String, BenchRow> o = ours.getOrDefault(w, Map.of());
      Map<String, BenchRow> p = peer.getOrDefault(w, Map.of());
      Map<String, BenchRow> q = ratios.getOrDefault(w, Map.of());
      Map<String, BenchRow> wtf = tf.getOrDefault(w, Map.of());
      double params = Double.isNaN(value(o, "params")) ? value(p, "params") : value(o, "params");
      double ceiling = Double.isNaN(value(wtf, "matmul_gflops")) ? matmul : value(wtf, "matmul_gflops");
      BenchRow rounds = q.values().stream().findFirst().orElse(o.get("hessian_vp"));
      s.append(String.format(Locale.ROOT, "%s: p = %,.0f parameters%s%s%n", w, params, examples(w),
          rounds == null ? "" : f("; %.0f interleaved rounds", rounds.runs())));
      if (!wtf.isEmpty()) {
        s.append("  same window: ").append(machine(wtf, mach.getOrDefault(w, Map.of()))).append('\n');
      }
      for (String metric : TIME_METRICS) {
        BenchRow r = o.get(OURS_FOR.getOrDefault(metric, metric));
        BenchRow pr = p.get(PEER_FOR.getOrDefault(metric, metric));
        if (r == null && pr == null) {
          continue;
        }
        BenchRow paired = q.get(metric);
        String ratio;
        String range = "";
        if (paired != null) {
          ratio = f("%.2f", paired.median());
          range = f("%.2f..%.2f", paired.min(), paired.max());
        } else {
          ratio = r == null || pr == null ? "-" : f("%.2f", r.median() / pr.median());
        }
        String xGrad = "";
        String gflop = "";
        String rate = "";
        String pct = "";
        if (r != null) {
          double grad = value(o, "gradient");
          boolean product = FLOPS_OF.containsKey(metric) && !metric.equals("density_step");
          xGrad = product && grad > 0 ? f("%.2f", r.median() / grad) : "";
          double count = FLOPS_OF.containsKey(metric) ? value(o, FLOPS_OF.get(metric) + "_gflop") : Double.NaN;
          if (!Double.isNaN(count)) {
            gflop = f("%.3f", count);
            rate = f("%.1f", count / r.median());
            pct = Double.isNaN(ceiling) ? "" : f("%.0f%%", 100 * count / r.median() / ceiling);
          }
        }
        s.append(String.format(Locale.ROOT, fmt, w, metric, r == null ? "-" : f("%.4f s", r.median()),
            r == null || r.runs() < 2 || metric.startsWith("density") || metric.equals("lanczos_overhead") ? ""
                : f("%.4f..%.4f", r.min(), r.max()),
            xGrad, gflop, rate, pct, pr == null ? "-" : f("%.4f s", pr.median()), ratio, range));
      }
      BenchRow mem = o.get("peak_rss_mib");
      BenchRow pmem = p.get("peak_rss_mib");
      if (mem != null || pmem != null) {
        s.append(String.format(Locale.ROOT, fmt, w, "peak_rss_mib", mem == null ? "-" : f("%.0f MiB", mem.median()), "", "", "", "",
            "", pmem == null ? "-" : f("%.0f MiB", pmem.median()),
            mem == null || pmem == null ? "-" : f("%.2f", mem.median() / pmem.median()), ""));
      }
      BenchRow grown = o.get("density_memory_mib");
      if (grown != null) {
        s.append(String.format(Locale.ROOT, fmt, w, "density_memory", f("%.0f MiB", grown.median()), "", "", "", "", "",
            f("= %.1f p-vectors", value(o, "density_memory_pvectors")), "", ""));
      }
      BenchRow cache = o.get("product_cache_mib");
      if (cache != null) {
        s.append(String.format(Locale.ROOT, fmt, w, "product_cache", f("%.1f MiB", cache.median()), "", "", "", "", "", "", "", ""));
      }
    }
    s.append('\n').append(targets(ours, peer, ratios, tf, matmul));
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

  /**
   * The issue-7 targets as measured: one line each, value and PASS/FAIL (n/a where a value is
   * missing). Comparisons with the peer use the median of the interleaved rounds' ratios, shown with
   * their range; without them, the ratio of the medians.
   */
  static String targets(Map<String, Map<String, BenchRow>> ours, Map<String, Map<String, BenchRow>> peer,
      Map<String, Map<String, BenchRow>> ratios, Map<String, Map<String, BenchRow>> tf, double matmul) {
    StringBuilder s = new StringBuilder("issue-7 targets (measured in this run, not asserted):\n");
    for (var e : ours.entrySet()) {
      String w = e.getKey();
      Map<String, BenchRow> o = e.getValue();
      if (w.equals(TrainEpochBench.NAME)) {
        s.append(target(w, "train epoch <= 1.0x PyTorch's", value(o, w) / value(peer.get(w), w), "%.2fx", true, 1.0,
            peer.containsKey(w) ? null : "no peer"));
        continue;
      }
      Map<String, BenchRow> q = ratios.getOrDefault(w, Map.of());
      Map<String, BenchRow> p = peer.get(w);
      double hess = value(o, "hessian_vp");
      String noPeer = p == null ? "no peer" : null;
      s.append(peerTarget(w, "Hess v <= 0.5x PyTorch hvp_full", q.get("hessian_vp"), hess / value(p, "hessian_vp"), noPeer));
      // the same target like for like: recomputing everything vs hvp_full, cached vs hvp_reuse
      s.append(peerTarget(w, "  uncached Hess v <= 0.5x hvp_full", q.get("hessian_vp_nocache"),
          value(o, "hessian_vp_nocache") / value(p, "hessian_vp"), noPeer));
      s.append(peerTarget(w, "  cached Hess v <= 0.5x hvp_reuse", q.get("hessian_vp_reuse"), hess / value(p, "hessian_vp_reuse"),
          noPeer));
      s.append(target(w, "Hess v / gradient <= 2.2", hess / value(o, "gradient"), "%.2f", true, 2.2, null));
      s.append(target(w, "G v <= 1.3x Hess v", value(o, "G_vp") / hess, "%.2fx", true, 1.3, null));
      s.append(target(w, "H v <= 1.3x Hess v", value(o, "H_vp") / hess, "%.2fx", true, 1.3, null));
      if (w.equals("mlp")) {
        double own = value(tf.get(w), "matmul_gflops");
        double ceiling = Double.isNaN(own) ? matmul : own;
        double pct = 100 * value(o, "hessian_vp_gflop") / hess / ceiling;
        s.append(target(w, "Hess v >= 60% of the matmul rate", pct, "%.0f%%", false, 60, null));
      }
      if (o.containsKey("density_memory_pvectors")) {
        s.append(target(w, "density run <= 8 p-vectors (+ data, cache)", value(o, "density_memory_pvectors"), "%.1f", true, 8,
            null));
      }
      if (value(o, "params") >= 1e6) {
        // the median over steps of each step's share (tables from before it existed: the ratio of the two rows)
        BenchRow share = o.get("lanczos_overhead_share");
        double pct = 100 * (share != null ? share.median() : value(o, "lanczos_overhead") / value(o, "density_step"));
        String range = share != null && share.runs() > 1 ? f(" (steps %.2f..%.2f%%)", 100 * share.min(), 100 * share.max()) : "";
        s.append(target(w, "Lanczos overhead < 3% of a step (p >= 1M)", pct, "%.2f%%" + range.replace("%", "%%"), true, 3, null));
      }
    }
    return s.toString();
  }

  /** A target on hesspec/PyTorch at most 0.5: the paired ratio's median (and its range) where measured, else {@code fallback}. */
  private static String peerTarget(String w, String what, BenchRow paired, double fallback, String missing) {
    if (paired == null) {
      return target(w, what, fallback, "%.2fx", true, 0.5, missing);
    }
    return target(w, what, paired.median(), "%.2fx", true, 0.5, null).replace(f("%.2fx", paired.median()) + "  ",
        f("%.2fx", paired.median()) + f(" (%.2f..%.2f)  ", paired.min(), paired.max()));
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
        + "    GFLOP/s = GFLOP / median; %matmul = share of the median dense 2048^2 matmul rate sampled after every round of\n"
        + "    the workload (its \"same window\" line; the machine's, above, where absent).\n"
        + "  interleaved rounds: hesspec (a JVM per workload) and PyTorch (a Python process per workload) both stay alive; in\n"
        + "    each round every metric of a group runs once, the two tools taking turns, in reverse order every other round;\n"
        + "    after each round the driver samples the matmul rate, the triad bandwidth (a <- a - s b in place, 3 x 4 bytes per\n"
        + "    element, in TensorFlow with hesspec's threads) and the 1-minute load average. Times are medians over rounds.\n"
        + "    The density run comes first and warms both processes; without it (--density-steps 0) they are warmed with\n"
        + "    the gradient for 3 s, unrecorded, before the first round.\n"
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
        + "  lanczos_overhead: the median over the run's steps of the time outside the product runs (same run; the Lanczos\n"
        + "    vectors stay in TensorFlow: the update, the affine shift, session calls); its target: the median over steps of\n"
        + "    that time's share of the step (lanczos_overhead_share). PyTorch's hvp_reuse keeps a first-order graph (PyHessian\n"
        + "    on one batch).\n"
        + "  density_memory: the density run's working memory: its peak resident memory (VmHWM, reset before it) minus what\n"
        + "    the process held before it (model, data, graph, session and one Hess v, which built the ops and filled the\n"
        + "    cache), plus the 2 p-vectors v and the accumulator that Hess v allocated; in p-vectors of the model's precision.\n"
        + "    Measured first, before any other product. product_cache: the v-independent tensors kept (a data-sized cost).\n"
        + "  x_grad = median / the gradient median; hs/pt = median over rounds of (hesspec time / pytorch time in that round),\n"
        + "    pair range = their lowest and highest (targets use these); rows measured once (density, memory): the ratio of\n"
        + "    the two values. peak_rss: hesspec = the workload's JVM (VmHWM), pytorch = its Python process (VmHWM).\n";
  }

  private static String f(String format, double... x) {
    return String.format(Locale.ROOT, format, (Object[]) java.util.Arrays.stream(x).boxed().toArray(Double[]::new));
  }
}
