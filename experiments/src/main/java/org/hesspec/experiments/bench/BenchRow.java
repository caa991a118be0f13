package org.hesspec.experiments.bench;

/**
 * One line of {@code results/bench/bench.csv} (CONTRACT.md): {@code workload, tool, metric,
 * median_s, min_s, max_s, runs, threads}; {@code peak_rss_mib} carries MiB in the time columns.
 */
public record BenchRow(String workload, String tool, String metric, double medianS, double minS, double maxS, int runs, int threads) {

  public static BenchRow of(String workload, String tool, String metric, Timing t, int threads) {
    return new BenchRow(workload, tool, metric, t.median(), t.min(), t.max(), t.runs(), threads);
  }
}
