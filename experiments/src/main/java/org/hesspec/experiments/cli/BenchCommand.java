package org.hesspec.experiments.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.hesspec.curvature.SessionSettings;
import org.hesspec.experiments.bench.BenchReport;
import org.hesspec.experiments.bench.BenchRun;
import org.hesspec.experiments.bench.BenchWorkload;
import org.hesspec.experiments.bench.Benchmark;
import org.hesspec.experiments.bench.TorchPeer;
import org.hesspec.experiments.bench.WorkerProtocol;
import org.hesspec.experiments.run.OneDnnCap;
import org.tensorflow.TensorFlow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hesspec bench [WORKLOAD ...]}: the performance workloads, each in its own process (so peak
 * memory is per workload, as the peer measures it), their repetitions interleaved with the PyTorch
 * peer's, printed as a table and written to {@code results/bench/bench.csv}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Time gradient, Hess v, G v, H v and one SLQ density run on the workloads mlp, cnn, mlp-small, with achieved "
        + "GFLOP/s, next to the PyTorch peer (bench/torch_peer.py) when /usr/bin/python3 has torch.")
final class BenchCommand implements Callable<Integer> {

  @Parameters(arity = "0..*", paramLabel = "WORKLOAD", description = "mlp, cnn, mlp-small, train_epoch [mlp, cnn, mlp-small]")
  List<String> workloads = new ArrayList<>();

  @Option(names = "--runs", defaultValue = "10", description = "timed rounds per metric (hesspec and the peer alternating) [${DEFAULT-VALUE}]")
  int runs;

  @Option(names = "--warmup", defaultValue = "2", description = "warm-up rounds per group of metrics [${DEFAULT-VALUE}]")
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

  @Option(names = "--serve", hidden = true, description = "internal: hold one workload in this process and answer the driver on stdin")
  boolean serve;

  @Override
  public Integer call() throws Exception {
    int t = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    if (productCacheMb < 0) {
      throw new InputException("--product-cache-mb " + productCacheMb + ": expected a number >= 0");
    }
    if (runs < 1 || warmup < 0) {
      throw new InputException("--runs " + runs + " --warmup " + warmup + ": expected runs >= 1 and warmup >= 0");
    }
    SessionSettings settings = new SessionSettings(t, 1, productCacheMb << 20);
    List<BenchWorkload> selected = new ArrayList<>();
    for (String w : workloads.isEmpty() ? BenchWorkload.all().stream().map(BenchWorkload::name).toList() : workloads) {
      try {
        selected.add(BenchWorkload.named(w));
      } catch (IllegalArgumentException e) {
        throw new InputException(e.getMessage());
      }
    }
    if (serve) {
      try (Benchmark b = new Benchmark(selected.get(0), settings)) {
        WorkerProtocol.serve(b, new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), System.out,
            System.err::println);
      }
      return 0;
    }
    Path script = peerScript != null ? peerScript : TorchPeer.defaultScript();
    String why = noPeer ? "skipped (--no-peer)" : TorchPeer.unavailable(script);
    if (why != null) {
      System.err.println("hesspec bench: PyTorch peer: not run, " + why);
    }
    BenchRun run = BenchRun.run(selected, settings, warmup, runs, densitySteps, this::worker, why == null ? script : null,
        System.err::println);
    BenchReport.write(run.rows(), out);
    String peer = why != null ? "PyTorch peer: not run, " + why : TorchPeer.describe(run.peerMeta());
    String tensorflow = TensorFlow.version()
        + OneDnnCap.fromEnvironment().filter(isa -> !isa.equalsIgnoreCase("ALL")).map(isa -> " with oneDNN capped at " + isa).orElse("");
    System.out.print(BenchReport.table(run.rows(), new BenchReport.Context(t, settings.interOpThreads(), tensorflow, peer)));
    System.out.println("written: " + out);
    return 0;
  }

  /** A JVM that holds one workload (so peak memory is per workload, as the peer measures it) and answers on stdin. */
  private ProcessBuilder worker(BenchWorkload w) {
    return new ProcessBuilder(ChildJvm.command("16g", List.of("bench", w.name(), "--threads", Integer.toString(threads),
        "--product-cache-mb", Long.toString(productCacheMb), "--serve")));
  }
}
