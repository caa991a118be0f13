package org.hesspec.experiments.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.hesspec.curvature.BatchedData;
import org.hesspec.curvature.CurvatureGraph;
import org.hesspec.curvature.CurvatureOperator;
import org.hesspec.curvature.Loss;
import org.hesspec.curvature.SessionSettings;
import org.hesspec.model.ModelDefinition;

/**
 * Why a cached {@code Hess v} takes longer in some repetitions than in others: times the bench
 * workload's cached product (v and the result kept in TensorFlow, as {@code hessian_vp} in
 * {@code hesspec bench}) right after four different things, taking turns round by round (the order
 * rotates every round), so that all four meet the same machine:
 *
 * <ul>
 *   <li><b>product</b>: the same cached product (the steady state of a loop of products, as in a
 *       Lanczos run);
 *   <li><b>flush</b>: writing 128 MiB from Java, which evicts the product cache's tensors and the
 *       weights from the 32 MB L3 cache (does the product depend on finding them there?);
 *   <li><b>copy</b>: an uncached product on a second graph called with Java arrays, as {@code
 *       hessian_vp_copy} runs between the bench's cached products (another session's threads, Java
 *       garbage of two p-vectors);
 *   <li><b>idle</b>: 200 ms asleep, as hesspec waits while the peer takes its turn in the bench's
 *       interleaved rounds (threads parked, caches and TLBs taken by other processes).
 * </ul>
 *
 * Prints each condition's median, interquartile range and range in milliseconds, and the 1-minute
 * load average before and after.
 *
 * <pre>
 *   java -cp 'experiments/target/hesspec-experiments.jar:experiments/target/lib/*' \
 *     org.hesspec.experiments.bench.ProductVariance [rounds] [workload] [threads]
 * </pre>
 */
public final class ProductVariance {
  private static final String[] CONDITIONS = {"product", "flush", "copy", "idle"};
  private static long[] junk;
  private static long sink;

  private ProductVariance() {}

  public static void main(String[] args) throws InterruptedException {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    BenchWorkload w = BenchWorkload.named(args.length > 1 ? args[1] : "mlp");
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
    ModelDefinition model = w.model();
    double loadBefore = load();
    try (CurvatureGraph cached = new CurvatureGraph(model, Loss.CROSS_ENTROPY, model.layout(), new SessionSettings(threads, 1, 1024L << 20));
        CurvatureGraph plain = new CurvatureGraph(model, Loss.CROSS_ENTROPY, model.layout(), new SessionSettings(threads, 1, 0))) {
      BatchedData data = BatchedData.of(w.data(), w.examples(), model.precision());
      double[] v = new Random(BenchWorkload.SEED + 3).doubles(cached.dimension(), -1, 1).toArray();
      double[] out = new double[v.length];
      cached.load(v);
      junk = new long[16 << 20];
      double[][] ms = new double[CONDITIONS.length][rounds];
      for (int r = -2; r < rounds; r++) {
        for (int k = 0; k < CONDITIONS.length; k++) {
          int c = Math.floorMod(k + r, CONDITIONS.length); // rotate the order every round
          switch (CONDITIONS[c]) {
            case "product" -> cached.applyInSession(CurvatureOperator.HESSIAN, data);
            case "flush" -> flush();
            case "copy" -> plain.apply(CurvatureOperator.HESSIAN, v, data, out);
            default -> Thread.sleep(200);
          }
          long t0 = System.nanoTime();
          cached.applyInSession(CurvatureOperator.HESSIAN, data);
          double t = (System.nanoTime() - t0) / 1e6;
          if (r >= 0) {
            ms[c][r] = t;
          }
        }
      }
      System.out.printf(Locale.ROOT, "cached Hess v of %s (p = %,d, n = %d, %d threads) after each condition, %d rotating rounds, "
          + "load %.2f -> %.2f (sink %d)%n", w.name(), cached.dimension(), w.examples(), threads, rounds, loadBefore, load(), sink);
      List<String> lines = new ArrayList<>();
      for (int c = 0; c < CONDITIONS.length; c++) {
        Timing t = Timing.of(ms[c]);
        lines.add(String.format(Locale.ROOT, "  after %-8s median %7.1f ms  interquartile %7.1f..%7.1f  range %7.1f..%7.1f",
            CONDITIONS[c], t.median(), Timing.quantile(ms[c], 0.25), Timing.quantile(ms[c], 0.75), t.min(), t.max()));
      }
      lines.forEach(System.out::println);
    }
  }

  /** Writes every 64th byte of 128 MiB: more than the L3 cache holds. */
  private static void flush() {
    for (int i = 0; i < junk.length; i += 8) {
      junk[i] += i;
    }
    sink += junk[8 * 12345];
  }

  private static double load() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
