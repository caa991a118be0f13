package org.hesspec.experiments.bench;

/**
 * One line of {@code results/bench/bench.csv}: {@code workload, tool, metric, unit, median, min,
 * max, runs, threads}. {@code unit} names what the three values are: {@code s} (wall time),
 * {@code MiB}, {@code GFLOP}, {@code GFLOP/s}, {@code GB/s}, {@code count}, {@code p-vectors},
 * {@code ratio} (per-pair ratios of interleaved runs) or {@code load} (the 1-minute load average).
 */
public record BenchRow(String workload, String tool, String metric, String unit, double median, double min, double max, int runs,
    int threads) {

  public static final String SECONDS = "s";
  public static final String MIB = "MiB";
  public static final String GFLOP = "GFLOP";
  public static final String GFLOPS = "GFLOP/s";
  public static final String GBS = "GB/s";
  public static final String COUNT = "count";
  public static final String PVECTORS = "p-vectors";
  public static final String RATIO = "ratio";
  public static final String LOAD = "load";

  public BenchRow {
    if (unit == null || unit.isBlank() || unit.contains(",")) {
      throw new IllegalArgumentException("bench row " + workload + "/" + metric + ": unit '" + unit + "' must be a word without commas");
    }
  }

  /** A row from a timing or a series of samples. */
  public static BenchRow of(String workload, String tool, String metric, String unit, Timing t, int threads) {
    return new BenchRow(workload, tool, metric, unit, t.median(), t.min(), t.max(), t.runs(), threads);
  }

  /** A single measured value (a count, a whole density run, memory). */
  public static BenchRow single(String workload, String tool, String metric, String unit, double value, int threads) {
    return new BenchRow(workload, tool, metric, unit, value, value, value, 1, threads);
  }
}
