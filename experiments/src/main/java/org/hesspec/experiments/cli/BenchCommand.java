package org.hesspec.experiments.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.hesspec.curvature.SessionSettings;
import org.hesspec.experiments.bench.BenchReport;
import org.hesspec.experiments.bench.BenchRow;
import org.hesspec.experiments.bench.BenchWorkload;
import org.hesspec.experiments.bench.Benchmark;
import org.hesspec.experiments.bench.TorchPeer;
import org.tensorflow.TensorFlow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hesspec bench [WORKLOAD ...]}: the performance workloads, each in its own process (so peak
 * memory is per workload, as the peer measures it), printed as a table and written to
 * {@code results/bench/bench.csv}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Time gradient, Hess v, G v, H v and one SLQ density run on the workloads mlp, cnn, mlp-small, with achieved "
        + "GFLOP/s, next to the PyTorch peer (bench/torch_peer.py) when /usr/bin/python3 has torch.")
final class BenchCommand implements Callable<Integer> {

  @Parameters(arity = "0..*", paramLabel = "WORKLOAD", description = "mlp, cnn, mlp-small, train_epoch [mlp, cnn, mlp-small]")
  List<String> workloads = new ArrayList<>();

  @Option(names = "--runs", defaultValue = "10", description = "timed runs per metric [${DEFAULT-VALUE}]")
  int runs;

  @Option(names = "--warmup", defaultValue = "2", description = "warm-up runs per metric [${DEFAULT-VALUE}]")
  int warmup;

  @Option(names = "--threads", defaultValue = "0", description = "intra-op threads [all cores]")
  int threads;

  @Option(names = "--out", defaultValue = "results/bench/bench.csv", description = "CSV file [${DEFAULT-VALUE}]")
  Path out;

  @Option(names = "--density-steps", defaultValue = "80", description = "Lanczos steps of the density run, 0 to skip [${DEFAULT-VALUE}]")
  int densitySteps;

  @Option(names = "--product-cache-mb", defaultValue = "1024",
      description = "memory for the v-independent part of repeated products (forward pass, gradient signals), 0: recompute every time [${DEFAULT-VALUE}]")
  long productCacheMb;

  @Option(names = "--no-peer", description = "do not run the PyTorch peer")
  boolean noPeer;

  @Option(names = "--peer-script", hidden = true, description = "the peer script [bench/torch_peer.py of this build]")
  Path peerScript;

  @Option(names = "--worker-rows", hidden = true, description = "internal: measure one workload in this process, write rows here")
  Path workerRows;

  @Override
  public Integer call() throws Exception {
    int t = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    if (productCacheMb < 0) {
      throw new InputException("--product-cache-mb " + productCacheMb + ": expected a number >= 0");
    }
    SessionSettings settings = new SessionSettings(t, 1, productCacheMb << 20);
    List<BenchWorkload> selected = new ArrayList<>();
    for (String w : workloads.isEmpty() ? List.of("mlp", "cnn", "mlp-small") : workloads) {
      try {
        selected.add(BenchWorkload.named(w));
      } catch (IllegalArgumentException e) {
        throw new InputException(e.getMessage());
      }
    }
    if (workerRows != null) {
      List<BenchRow> rows = Benchmark.run(selected.get(0), settings, warmup, runs, densitySteps, System.err::println);
      BenchReport.write(rows, workerRows);
      return 0;
    }
    Path script = peerScript != null ? peerScript : TorchPeer.defaultScript();
    String peerLine;
    String why = noPeer ? "skipped (--no-peer)" : TorchPeer.unavailable(script);
    if (why != null) {
      peerLine = "PyTorch peer: not run, " + why;
      System.err.println("hesspec bench: " + peerLine);
    } else {
      peerLine = null;
    }
    List<BenchRow> rows = new ArrayList<>(BenchReport.machineRows(settings));
    Map<String, String> peerMeta = Map.of();
    for (BenchWorkload w : selected) {
      System.err.println("hesspec bench: " + w.name() + " (" + w.examples() + " examples, " + t + " intra-op threads, "
          + settings.interOpThreads() + " inter-op, product cache " + productCacheMb + " MiB)");
      rows.addAll(inChildProcess(w.name()));
      if (why == null) {
        TorchPeer.Result r = TorchPeer.run(script, List.of(w.name()), runs, warmup, densitySteps);
        rows.addAll(r.rows());
        peerMeta = r.meta();
      }
    }
    BenchReport.write(rows, out);
    String peer = peerLine != null ? peerLine : TorchPeer.describe(peerMeta);
    System.out.print(BenchReport.table(rows, new BenchReport.Context(t, settings.interOpThreads(), TensorFlow.version(), peer)));
    System.out.println("written: " + out);
    return 0;
  }

  private List<BenchRow> inChildProcess(String workload) throws IOException, InterruptedException {
    Path rows = Files.createTempFile("hesspec-bench-", ".csv");
    try {
      String java = ProcessHandle.current().info().command().orElse("java");
      List<String> cmd = new ArrayList<>(List.of(java, "-Xmx16g", "-Xss4m", "-Djava.awt.headless=true", "-cp",
          System.getProperty("java.class.path"), Main.class.getName(), "bench", workload,
          "--runs", Integer.toString(runs), "--warmup", Integer.toString(warmup), "--threads", Integer.toString(threads),
          "--density-steps", Integer.toString(densitySteps), "--product-cache-mb", Long.toString(productCacheMb),
          "--worker-rows", rows.toString()));
      Process p = new ProcessBuilder(cmd).inheritIO().start();
      int rc = p.waitFor();
      if (rc != 0) {
        throw new IllegalStateException("benchmark of " + workload + " failed with exit status " + rc);
      }
      return BenchReport.read(rows);
    } finally {
      Files.deleteIfExists(rows);
    }
  }
}
