package org.hesspec.experiments.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.hesspec.curvature.BatchedData;
import org.hesspec.curvature.CurvatureGraph;
import org.hesspec.curvature.CurvatureOperator;
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
 * One workload held in this process, ready to time single repetitions on request (so that a driver
 * can interleave them with the peer's): one gradient, {@code Hess v}, {@code G v}, {@code H v}
 * (each over all examples, forward pass included, as the peer's {@code *_full} metrics), the
 * uncached and the copying {@code Hess v}; their dense flop counts, one SLQ density run on the
 * Hessian with its memory and per-step overhead, and peak memory. Rows use the metric names of
 * bench.csv; the extra rows are {@code params} (p), {@code <metric>_gflop} (GFLOP per product),
 * {@code density_step} and {@code lanczos_overhead} (seconds per Lanczos step).
 */
public final class Benchmark implements AutoCloseable {

  /** Lanczos steps of the density run (the peer's SLQ iterations). */
  public static final int DENSITY_STEPS = 80;

  /** The metric of the gradient, timed besides the products. */
  static final String GRADIENT = "gradient";

  /** The products timed, as bench.csv metric and operator. */
  static final Map<String, CurvatureOperator> PRODUCTS = products();

  private static Map<String, CurvatureOperator> products() {
    Map<String, CurvatureOperator> m = new LinkedHashMap<>();
    m.put("hessian_vp", CurvatureOperator.HESSIAN);
    m.put("G_vp", CurvatureOperator.GAUSS_NEWTON);
    m.put("H_vp", CurvatureOperator.RESIDUAL_HESSIAN);
    return java.util.Collections.unmodifiableMap(m);
  }

  private final BenchWorkload w;
  private final int threads;
  private final CurvatureGraph g;
  private final SessionSettings settings;
  private CurvatureGraph plain; // made after the density run, so that the run's memory is measured against one graph
  private final Map<String, BenchRow> flops = new LinkedHashMap<>();
  private final BatchedData data;
  private final double[] v;
  private final Map<String, Runnable> actions = new LinkedHashMap<>();
  private boolean loaded;
  private boolean plainLoaded;

  /** Builds the workload's graphs (with the product cache, and without it for the uncached metrics) and data. */
  public Benchmark(BenchWorkload w, SessionSettings settings) {
    this.w = w;
    this.threads = settings.intraOpThreads();
    ModelDefinition model = w.model();
    this.g = new CurvatureGraph(model, Loss.CROSS_ENTROPY, model.layout(), settings);
    try {
      CurvatureGraph.awaitLanczosWarmUp(); // no background compilation beside the timed products
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    this.settings = settings;
    this.data = BatchedData.of(w.data(), w.examples(), model.precision());
    this.v = new Random(BenchWorkload.SEED + 3).doubles(g.dimension(), -1, 1).toArray();
    double norm = 0;
    for (double x : v) {
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    for (int i = 0; i < v.length; i++) {
      v[i] /= norm;
    }
    // v and the result stay in TensorFlow, as Lanczos uses the product and as the peer's tensors stay in PyTorch
    actions.put(GRADIENT, () -> g.gradientInSession(data));
    for (var e : PRODUCTS.entrySet()) {
      actions.put(e.getKey(), () -> inSession(g, e.getValue()));
    }
    // Hess v recomputing everything (no product cache), kept in TensorFlow, and called from Java with double[] in and out
    actions.put("hessian_vp_nocache", () -> inSession(plain(), CurvatureOperator.HESSIAN));
    double[] out = new double[v.length];
    actions.put("hessian_vp_copy", () -> plain().apply(CurvatureOperator.HESSIAN, v, data, out));
  }

  /** The graph without the product cache (recomputing everything). */
  private CurvatureGraph plain() {
    if (plain == null) {
      ModelDefinition model = w.model();
      plain = new CurvatureGraph(model, Loss.CROSS_ENTROPY, model.layout(), settings.withProductCacheBytes(0));
    }
    return plain;
  }

  /** The metrics {@link #time} knows. */
  public List<String> metrics() {
    return List.copyOf(actions.keySet());
  }

  /**
   * One timed repetition of {@code metric}, in seconds. The first one also counts the product's
   * flops, untimed, while the product cache holds this product's entry (it holds one at a time,
   * and a cached product runs fewer ops).
   */
  public double time(String metric) {
    Runnable a = actions.get(metric);
    if (a == null) {
      throw new IllegalArgumentException("unknown hesspec metric '" + metric + "'; expected one of " + actions.keySet());
    }
    double t = Timing.seconds(a);
    if (!flops.containsKey(metric)) {
      if (metric.equals(GRADIENT)) {
        flops.put(metric, row(FlopCount.of(g.gradientTargets(), java.util.Set.of(), w.examples()), metric, System.err::println));
      } else if (PRODUCTS.containsKey(metric)) {
        flops.put(metric, flops(g, PRODUCTS.get(metric), metric, System.err::println));
      } else if (metric.equals("hessian_vp_nocache")) {
        flops.put(metric, flops(plain(), CurvatureOperator.HESSIAN, metric, System.err::println));
      } else {
        flops.put(metric, null);
      }
    }
    return t;
  }

  private void inSession(CurvatureGraph graph, CurvatureOperator product) {
    if (graph == g && !loaded) {
      g.load(v);
      loaded = true;
    } else if (graph == plain && !plainLoaded) {
      plain.load(v);
      plainLoaded = true;
    }
    graph.applyInSession(product, data);
  }

  /**
   * The density run, measured first in the process, before any other product: what it adds at its
   * peak is its own working memory. One Hess v before it builds the product's ops and fills the cache.
   */
  public List<BenchRow> density(int steps, Consumer<String> log) {
    g.apply(CurvatureOperator.HESSIAN, v, data);
    loaded = false; // the density run leaves its own vectors in the session
    return densityRun(w, g, g.operator(CurvatureOperator.HESSIAN, data), steps, threads, log);
  }

  /** p, the dense flop count of every product timed so far, and this process's peak memory (call last). */
  public List<BenchRow> counts() {
    List<BenchRow> rows = new ArrayList<>();
    rows.add(BenchRow.single(w.name(), "hesspec", "params", BenchRow.COUNT, g.dimension(), threads));
    flops.values().stream().filter(r -> r != null).forEach(rows::add);
    rows.add(BenchRow.single(w.name(), "hesspec", "peak_rss_mib", BenchRow.MIB, PeakMemory.mib(), threads));
    return rows;
  }

  private BenchRow flops(CurvatureGraph graph, CurvatureOperator product, String metric, Consumer<String> log) {
    return row(FlopCount.of(graph, product, data, w.examples()), metric, log);
  }

  private BenchRow row(FlopCount.Count c, String metric, Consumer<String> log) {
    if (!c.unresolved().isEmpty()) {
      log.accept("  [" + w.name() + "] " + metric + ": shapes unknown, not counted: " + c.unresolved());
    }
    return BenchRow.single(w.name(), "hesspec", metric + "_gflop", BenchRow.GFLOP, c.flops() / 1e9, threads);
  }

  @Override
  public void close() {
    try (g; data) {
      if (plain != null) {
        plain.close();
      }
    }
  }

  /**
   * Lets native memory that garbage Java objects still hold be freed before {@code before} is read:
   * TensorFlow Java frees a collected tensor's memory on a deallocator thread after the collection,
   * and on a busy machine that thread ran late enough to free megabytes inside the density run,
   * whose memory then came out negative (measured -15 MiB for mlp-small at load 14).
   */
  private static void settle() {
    for (int i = 0; i < 2; i++) {
      System.gc();
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * One SLQ density run as a user starts it ({@link SpectralDensity#estimate}, K = 1, the default
   * plain recurrence, its vectors kept in the session): {@code density_run} is its wall time,
   * bounds run included. Over the density run proper (from its first step's progress report to its
   * last), {@code density_step} is the mean wall time per Lanczos step (the peer reports a mean),
   * with the fastest and slowest step; {@code lanczos_overhead} the median over steps of the time
   * outside the product runs ({@link CurvatureGraph#productNanos}: the vector update, the affine
   * shift, the session calls and bookkeeping), and {@code lanczos_overhead_share} the median over
   * steps of that time divided by the step's own wall time. Per-step medians, because on a shared
   * machine a descheduling of tens of milliseconds inside one step's few-millisecond update moves a
   * mean over 80 steps by a large share; each step's share pairs the update with the product it
   * followed, as the interleaved rounds pair the two tools.
   */
  static List<BenchRow> densityRun(BenchWorkload w, CurvatureGraph g, LinearOperator hessian, int steps, int threads,
      Consumer<String> log) {
    List<long[]> marks = new ArrayList<>(); // {wall, product nanos} after each density step
    int[] lastStep = {-1};
    ProgressListener listener = p -> {
      // one mark per step: the report that a run finished repeats its last step and is no step of its own
      if (p.task().equals("density") && p.step() != lastStep[0]) {
        lastStep[0] = p.step();
        marks.add(new long[] {System.nanoTime(), g.productNanos()});
      }
    };
    settle();
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
    StepTimes perStep = StepTimes.of(marks);
    double[] nodes = est.quadrature().get(0).nodes();
    log.accept(String.format("  [%s] density_run  %.3f s (bounds + %d density steps); step %.4f s (mean), outside the product "
        + "%.5f s (median; mean %.5f), %.2f%% of a step (median over steps); Ritz values %.4g .. %.4g", w.name(), total, taken,
        perStep.meanStep(), perStep.overhead().median(), perStep.meanOverhead(), 100 * perStep.share().median(), nodes[0],
        nodes[nodes.length - 1]));
    log.accept(String.format("  [%s] density_run memory: %.0f MiB (peak above the %.0f MiB held before it, plus v and the accumulator)"
        + " = %.1f p-vectors of %.1f MiB; product cache %.1f MiB", w.name(), grown, before, grown / pVectorMib, pVectorMib, cacheMib));
    String n = w.name();
    return List.of(BenchRow.single(n, "hesspec", "density_run", BenchRow.SECONDS, total, threads),
        BenchRow.single(n, "hesspec", "density_memory_mib", BenchRow.MIB, grown, threads),
        BenchRow.single(n, "hesspec", "density_memory_pvectors", BenchRow.PVECTORS, grown / pVectorMib, threads),
        BenchRow.single(n, "hesspec", "product_cache_mib", BenchRow.MIB, cacheMib, threads),
        new BenchRow(n, "hesspec", "density_step", BenchRow.SECONDS, perStep.meanStep(), perStep.step().min(), perStep.step().max(),
            taken, threads),
        BenchRow.of(n, "hesspec", "lanczos_overhead", BenchRow.SECONDS, perStep.overhead(), threads),
        BenchRow.of(n, "hesspec", "lanczos_overhead_share", BenchRow.RATIO, perStep.share(), threads));
  }

  /**
   * The steps of a density run from the marks taken after each step ({@code {wall nanos, product
   * nanos}}): per step its wall time, the part outside the product runs, and that part's share of
   * the step.
   */
  record StepTimes(Timing step, Timing overhead, Timing share, double meanStep, double meanOverhead) {
    static StepTimes of(List<long[]> marks) {
      int n = Math.max(0, marks.size() - 1);
      double[] step = new double[n];
      double[] outside = new double[n];
      double[] share = new double[n];
      for (int i = 0; i < n; i++) {
        long[] a = marks.get(i);
        long[] b = marks.get(i + 1);
        step[i] = (b[0] - a[0]) / 1e9;
        outside[i] = step[i] - (b[1] - a[1]) / 1e9;
        share[i] = outside[i] / step[i];
      }
      return new StepTimes(Timing.of(step), Timing.of(outside), Timing.of(share), mean(step), mean(outside));
    }

    private static double mean(double[] x) {
      return x.length == 0 ? Double.NaN : java.util.Arrays.stream(x).sum() / x.length;
    }
  }
}
