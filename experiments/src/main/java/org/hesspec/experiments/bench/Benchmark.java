package org.hesspec.experiments.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.hesspec.curvature.BatchedData;
import org.hesspec.curvature.CurvatureGraph;
import org.hesspec.curvature.CurvatureGraph.Product;
import org.hesspec.curvature.HessianOperator;
import org.hesspec.curvature.LinearOperator;
import org.hesspec.curvature.Loss;
import org.hesspec.curvature.SessionSettings;
import org.hesspec.model.ModelDefinition;
import org.hesspec.spectral.DensityConfig;
import org.hesspec.spectral.DensityEstimate;
import org.hesspec.spectral.ProgressListener;
import org.hesspec.spectral.RunOptions;
import org.hesspec.spectral.SpectralDensity;

/**
 * Measures one workload in this process: one gradient, {@code Hess v}, {@code G v}, {@code H v}
 * (each over all examples, forward pass included, as the peer's {@code *_full} metrics), their
 * dense flop counts, one SLQ density run on the Hessian and peak memory. Rows use the metric
 * names of CONTRACT.md; the extra rows are {@code params} (p), {@code <metric>_gflop} (GFLOP per
 * product), {@code matmul_gflops} (the dense matmul rate measured right after the products, in
 * GFLOP/s), {@code density_step} and {@code lanczos_overhead} (seconds per Lanczos step).
 */
public final class Benchmark {

  /** Lanczos steps of the density run (the peer's SLQ iterations). */
  public static final int DENSITY_STEPS = 80;

  /** The products timed, as CONTRACT.md metric and CurvatureGraph product. */
  static final String[][] PRODUCTS = {{"gradient", "GRADIENT"}, {"hessian_vp", "HESSIAN"}, {"G_vp", "GAUSS_NEWTON"},
      {"H_vp", "RESIDUAL_HESSIAN"}};

  private Benchmark() {}

  public static List<BenchRow> run(BenchWorkload w, SessionSettings settings, int warmup, int runs, Consumer<String> log) {
    return run(w, settings, warmup, runs, DENSITY_STEPS, log);
  }

  /** As {@link #run(BenchWorkload, SessionSettings, int, int, Consumer)}; {@code densitySteps} 0 skips the density run. */
  public static List<BenchRow> run(BenchWorkload w, SessionSettings settings, int warmup, int runs, int densitySteps,
      Consumer<String> log) {
    if (w.name().equals(TrainEpochBench.NAME)) {
      List<BenchRow> rows = new ArrayList<>(TrainEpochBench.standard().run(settings.intraOpThreads(), Math.max(1, warmup), runs, log));
      rows.add(BenchRow.of(w.name(), "hesspec", "peak_rss_mib", Timing.single(PeakMemory.mib()), settings.intraOpThreads()));
      return rows;
    }
    List<BenchRow> rows = new ArrayList<>();
    ModelDefinition model = w.model();
    int threads = settings.intraOpThreads();
    try (CurvatureGraph g = new CurvatureGraph(model, Loss.CROSS_ENTROPY, model.layout(), settings);
        BatchedData data = BatchedData.of(w.data(), w.examples(), model.precision())) {
      rows.add(BenchRow.of(w.name(), "hesspec", "params", Timing.single(g.dimension()), threads));
      double[] v = new Random(BenchWorkload.SEED + 3).doubles(g.dimension(), -1, 1).toArray();
      double norm = 0;
      for (double x : v) {
        norm += x * x;
      }
      norm = Math.sqrt(norm);
      for (int i = 0; i < v.length; i++) {
        v[i] /= norm;
      }
      if (densitySteps > 0) {
        // First, in a process that holds only the model, the data and the graph, after one Hess v (which builds the
        // product's ops and fills the product cache): what the run adds at its peak is its own working memory.
        g.apply(Product.HESSIAN, v, data);
        rows.addAll(densityRun(w, g, new HessianOperator(g, data), densitySteps, threads, log));
      }
      g.load(v);
      for (String[] m : PRODUCTS) {
        Product product = Product.valueOf(m[1]);
        // v and the result stay in TensorFlow, as Lanczos uses the product and as the peer's tensors stay in PyTorch
        Timing t = Timing.of(() -> g.applyInSession(product, data), warmup, runs);
        rows.add(BenchRow.of(w.name(), "hesspec", m[0], t, threads));
        FlopCount.Count c = FlopCount.of(g, product, data, w.examples());
        if (!c.unresolved().isEmpty()) {
          log.accept("  [" + w.name() + "] " + m[0] + ": shapes unknown, not counted: " + c.unresolved());
        }
        rows.add(BenchRow.of(w.name(), "hesspec", m[0] + "_gflop", Timing.single(c.flops() / 1e9), threads));
        log.accept(String.format("  [%s] %-12s median %.4f s  min %.4f  max %.4f  (%.3f GFLOP, %d dense ops)", w.name(), m[0],
            t.median(), t.min(), t.max(), c.flops() / 1e9, c.ops()));
      }
      // Hess v recomputing everything (no product cache), kept in TensorFlow and called from Java with double[] in and out
      try (CurvatureGraph plain = new CurvatureGraph(model, Loss.CROSS_ENTROPY, model.layout(), settings.withProductCacheBytes(0))) {
        plain.load(v);
        Timing nocache = Timing.of(() -> plain.applyInSession(Product.HESSIAN, data), warmup, runs);
        rows.add(BenchRow.of(w.name(), "hesspec", "hessian_vp_nocache", nocache, threads));
        FlopCount.Count c = FlopCount.of(plain, Product.HESSIAN, data, w.examples());
        rows.add(BenchRow.of(w.name(), "hesspec", "hessian_vp_nocache_gflop", Timing.single(c.flops() / 1e9), threads));
        Timing copied = Timing.of(() -> plain.apply(Product.HESSIAN, v, data), warmup, runs);
        rows.add(BenchRow.of(w.name(), "hesspec", "hessian_vp_copy", copied, threads));
        log.accept(String.format("  [%s] Hess v uncached median %.4f s (%.3f GFLOP), with double[] in and out %.4f s", w.name(),
            nocache.median(), c.flops() / 1e9, copied.median()));
      }
      // The ceiling for these products' rates, measured in the same process right after them.
      Timing mm = MatmulRate.gflops(settings, 10);
      rows.add(BenchRow.of(w.name(), "hesspec", "matmul_gflops", mm, threads));
      log.accept(String.format("  [%s] dense matmul 2048^2: %.1f GFLOP/s (median of 10)", w.name(), mm.median()));
    }
    rows.add(BenchRow.of(w.name(), "hesspec", "peak_rss_mib", Timing.single(PeakMemory.mib()), threads));
    return rows;
  }

  /**
   * One SLQ density run as a user starts it ({@link SpectralDensity#estimate}, K = 1, the default
   * plain recurrence, its vectors kept in the session): {@code density_run} is its wall time,
   * bounds run included. Over the density run proper (from its first step's progress report to its
   * last), {@code density_step} is the mean wall time per Lanczos step and {@code lanczos_overhead}
   * the mean time per step outside the product runs ({@link CurvatureGraph#productNanos}): the
   * vector update, the affine shift, the session calls and bookkeeping.
   */
  static List<BenchRow> densityRun(BenchWorkload w, CurvatureGraph g, LinearOperator hessian, int steps, int threads,
      Consumer<String> log) {
    List<long[]> marks = new ArrayList<>(); // {wall, product nanos} after each density step
    ProgressListener listener = p -> {
      if (p.task().equals("density")) {
        marks.add(new long[] {System.nanoTime(), g.productNanos()});
      }
    };
    System.gc();
    double before = PeakMemory.currentMib();
    boolean peakReset = PeakMemory.resetPeak();
    long t0 = System.nanoTime();
    DensityEstimate est = SpectralDensity.estimate(k -> hessian, DensityConfig.of(steps, 1, BenchWorkload.SEED + 7),
        RunOptions.sequential().withListener(listener));
    double total = (System.nanoTime() - t0) / 1e9;
    // The run's working memory: its peak above what the process held before it, plus v and the product's
    // accumulator, which the warm-up product already allocated (the product cache is shown on its own).
    double pVectorMib = g.dimension() * (double) g.model().precision().bytes() / (1 << 20);
    double grown = peakReset ? PeakMemory.mib() - before + 2 * pVectorMib : Double.NaN;
    double cacheMib = g.productCacheBytes() / (double) (1 << 20);
    int taken = est.quadrature().get(0).steps();
    double step = Double.NaN;
    double overhead = Double.NaN;
    if (marks.size() >= 2) {
      long[] first = marks.get(0);
      long[] last = marks.get(marks.size() - 1);
      int n = marks.size() - 1;
      step = (last[0] - first[0]) / 1e9 / n;
      overhead = step - (last[1] - first[1]) / 1e9 / n;
    }
    double[] nodes = est.quadrature().get(0).nodes();
    log.accept(String.format("  [%s] density_run  %.3f s (bounds + %d density steps); step %.4f s, outside the product %.5f s; "
        + "Ritz values %.4g .. %.4g", w.name(), total, taken, step, overhead, nodes[0], nodes[nodes.length - 1]));
    log.accept(String.format("  [%s] density_run memory: %.0f MiB (peak above the %.0f MiB held before it, plus v and the accumulator)"
        + " = %.1f p-vectors of %.1f MiB; product cache %.1f MiB", w.name(), grown, before, grown / pVectorMib, pVectorMib, cacheMib));
    return List.of(BenchRow.of(w.name(), "hesspec", "density_run", Timing.single(total), threads),
        BenchRow.of(w.name(), "hesspec", "density_memory_mib", Timing.single(grown), threads),
        BenchRow.of(w.name(), "hesspec", "density_memory_pvectors", Timing.single(grown / pVectorMib), threads),
        BenchRow.of(w.name(), "hesspec", "product_cache_mib", Timing.single(cacheMib), threads),
        new BenchRow(w.name(), "hesspec", "density_step", step, step, step, taken, threads),
        new BenchRow(w.name(), "hesspec", "lanczos_overhead", overhead, overhead, overhead, taken, threads));
  }
}
