package org.hesspec.experiments.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Repetitions of hesspec and the PyTorch peer alternating in the same time window, so that both
 * see the same machine: in round r, every metric of a {@link Group} runs once, hesspec's and the
 * peer's taking turns, in reverse order every other round (A B, B A, ...) so that neither side
 * always runs first; after each round the machine's matmul rate, its triad bandwidth and the load
 * average are sampled in the driver. Each {@link Pair} gives one ratio per round (hesspec time /
 * peer time in that round); the row reports their median and range, the spread of the comparison
 * itself, which slow phases of a shared machine move far less than either tool's own times.
 */
public final class Interleaved {

  /** Tool name of the per-round ratio rows. */
  public static final String RATIO_TOOL = "hesspec/pytorch";

  /** A hesspec metric, the peer metric it is compared with, and the metric name of their ratio. */
  public record Pair(String ours, String peer, String ratio) {}

  /** Metrics measured together, round by round, and the ratios taken in each round. */
  public record Group(List<String> ours, List<String> peer, List<Pair> pairs) {}

  /**
   * The curvature workloads' groups: gradient; Hess v (cached, uncached, with Java arrays) against
   * PyTorch's {@code hvp_full} and the cached one against {@code hvp_reuse} (PyHessian keeping its
   * first-order graph); G v; H v. A new kind of workload brings its own list.
   */
  public static final List<Group> CURVATURE = List.of(
      new Group(List.of("gradient"), List.of("loss_grad"), List.of(new Pair("gradient", "loss_grad", "gradient"))),
      new Group(List.of("hessian_vp", "hessian_vp_nocache", "hessian_vp_copy"), List.of("hvp_full", "hvp_reuse"),
          List.of(new Pair("hessian_vp", "hvp_full", "hessian_vp"), new Pair("hessian_vp_nocache", "hvp_full", "hessian_vp_nocache"),
              new Pair("hessian_vp_copy", "hvp_full", "hessian_vp_copy"), new Pair("hessian_vp", "hvp_reuse", "hessian_vp_reuse"))),
      new Group(List.of("G_vp"), List.of("gnvp_full"), List.of(new Pair("G_vp", "gnvp_full", "G_vp"))),
      new Group(List.of("H_vp"), List.of("hv_residual_full"), List.of(new Pair("H_vp", "hv_residual_full", "H_vp"))));

  /** One timed repetition of a metric by one side. */
  public interface Side {
    double time(String metric);
  }

  /** The machine samples taken after each round. */
  public interface Machine {
    double matmulGflops();

    double triadGbs();

    /** The 1-minute load average (NaN where unknown). */
    double load();
  }

  private Interleaved() {}

  /**
   * The order of round {@code round}: hesspec's metrics ({@code true}) and the peer's
   * ({@code false}) alternating, starting with hesspec's; reversed in odd rounds. Without a peer,
   * hesspec's alone.
   */
  static List<Map.Entry<Boolean, String>> order(Group g, boolean withPeer, int round) {
    List<Map.Entry<Boolean, String>> o = new ArrayList<>();
    int n = Math.max(g.ours().size(), withPeer ? g.peer().size() : 0);
    for (int i = 0; i < n; i++) {
      if (i < g.ours().size()) {
        o.add(Map.entry(true, g.ours().get(i)));
      }
      if (withPeer && i < g.peer().size()) {
        o.add(Map.entry(false, g.peer().get(i)));
      }
    }
    if (round % 2 == 1) {
      java.util.Collections.reverse(o);
    }
    return o;
  }

  /**
   * Warms two freshly started processes before anything is timed: {@code g}'s metrics, hesspec's and
   * the peer's alternating, unrecorded, for at least {@code seconds} of wall time. The warm-up
   * rounds of {@link #run} are counted, not timed, and a cold process (the JVM still compiling,
   * TensorFlow's first runs of each op) stays slower for longer than a few of them: without a
   * density run before them, the first group's first recorded rounds were the slowest of the
   * run, in both tools.
   *
   * @param peer null: hesspec alone
   * @return how many rounds it took
   */
  public static int warm(Group g, Side ours, Side peer, double seconds) {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    int rounds = 0;
    do {
      round(g, ours, peer, rounds++, new LinkedHashMap<>(), new LinkedHashMap<>());
    } while (System.nanoTime() < end);
    return rounds;
  }

  /** Round {@code round} of {@code g} in {@link #order}: each side's time per metric into {@code oursT} and {@code peerT}. */
  private static void round(Group g, Side ours, Side peer, int round, Map<String, Double> oursT, Map<String, Double> peerT) {
    for (var step : order(g, peer != null, round)) {
      if (step.getKey()) {
        oursT.put(step.getValue(), ours.time(step.getValue()));
      } else {
        peerT.put(step.getValue(), peer.time(step.getValue()));
      }
    }
  }

  /**
   * Runs {@code warmup} unrecorded and {@code runs} recorded rounds of every group; returns rows of
   * the workload: hesspec's and the peer's times per metric (peer metrics under their bench.csv
   * names, {@link TorchPeer#METRICS}), the per-round ratios, and the machine samples
   * ({@code matmul_gflops}, {@code triad_gbs} under tool tensorflow, {@code load_1m} under tool machine).
   *
   * @param peer null: hesspec alone
   */
  public static List<BenchRow> run(String workload, List<Group> groups, Side ours, Side peer, Machine machine, int warmup, int runs,
      int threads, int peerThreads, Consumer<String> log) {
    Map<String, double[]> oursT = new LinkedHashMap<>();
    Map<String, double[]> peerT = new LinkedHashMap<>();
    Map<String, double[]> ratios = new LinkedHashMap<>();
    List<Double> matmul = new ArrayList<>();
    List<Double> triad = new ArrayList<>();
    List<Double> load = new ArrayList<>();
    for (Group g : groups) {
      for (int r = -warmup; r < runs; r++) {
        Map<String, Double> ot = new LinkedHashMap<>();
        Map<String, Double> pt = new LinkedHashMap<>();
        round(g, ours, peer, r + warmup, ot, pt);
        if (r < 0) {
          continue;
        }
        int round = r;
        ot.forEach((m, t) -> oursT.computeIfAbsent(m, k -> new double[runs])[round] = t);
        pt.forEach((m, t) -> peerT.computeIfAbsent(m, k -> new double[runs])[round] = t);
        if (peer != null) {
          for (Pair p : g.pairs()) {
            ratios.computeIfAbsent(p.ratio(), k -> new double[runs])[round] = ot.get(p.ours()) / pt.get(p.peer());
          }
        }
        matmul.add(machine.matmulGflops());
        triad.add(machine.triadGbs());
        load.add(machine.load());
      }
      String line = "  [" + workload + "] " + String.join(", ", g.ours().stream().map(m -> f("%s %.4f s", m, median(oursT.get(m)))).toList());
      if (peer != null) {
        line += "; peer " + String.join(", ", g.peer().stream().map(m -> f("%s %.4f s", m, median(peerT.get(m)))).toList())
            + "; ratios " + String.join(", ", g.pairs().stream().map(p -> f("%s %.2f", p.ratio(), median(ratios.get(p.ratio())))).toList());
      }
      log.accept(line);
    }
    List<BenchRow> rows = new ArrayList<>();
    oursT.forEach((m, t) -> rows.add(BenchRow.of(workload, "hesspec", m, BenchRow.SECONDS, Timing.of(t), threads)));
    peerT.forEach((m, t) -> rows.add(BenchRow.of(workload, "pytorch", TorchPeer.METRICS.getOrDefault(m, m), BenchRow.SECONDS, Timing.of(t),
        peerThreads)));
    ratios.forEach((m, t) -> rows.add(BenchRow.of(workload, RATIO_TOOL, m, BenchRow.RATIO, Timing.of(t), threads)));
    rows.add(BenchRow.of(workload, "tensorflow", "matmul_gflops", BenchRow.GFLOPS, Timing.of(array(matmul)), threads));
    rows.add(BenchRow.of(workload, "tensorflow", "triad_gbs", BenchRow.GBS, Timing.of(array(triad)), threads));
    rows.add(BenchRow.of(workload, "machine", "load_1m", BenchRow.LOAD, Timing.of(array(load)), 0));
    return rows;
  }

  /** The 1-minute load average from {@code /proc/loadavg}, NaN where it cannot be read. */
  public static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  private static double median(double[] t) {
    return t == null ? Double.NaN : Timing.of(t).median();
  }

  private static double[] array(List<Double> x) {
    return x.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static String f(String format, Object... args) {
    return String.format(java.util.Locale.ROOT, format, args);
  }
}
