package org.hesspec.experiments.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.hesspec.curvature.SessionSettings;

/**
 * A whole {@code hesspec bench} run: the machine's rates first, then per workload a hesspec JVM
 * and the PyTorch peer, both kept alive ({@link WorkerProtocol}): their density runs one after the
 * other, then the interleaved rounds of {@link Interleaved}, then the counts and peak memory.
 *
 * @param rows every row of the run
 * @param peerMeta the peer's meta lines (torch version, threads, BLAS, environment); empty without a peer
 */
public record BenchRun(List<BenchRow> rows, Map<String, String> peerMeta) {

  /**
   * How long the two processes are warmed ({@link Interleaved#warm}) when no density run comes
   * before the interleaved rounds.
   */
  static final double COLD_START_SECONDS = 3;

  /**
   * Runs the workloads.
   *
   * @param hesspecWorker the process that serves a workload ({@code hesspec bench W --serve})
   * @param peerScript the peer script, or null to run hesspec alone
   */
  public static BenchRun run(List<BenchWorkload> workloads, SessionSettings settings, int warmup, int runs, int densitySteps,
      Function<BenchWorkload, ProcessBuilder> hesspecWorker, Path peerScript, Consumer<String> log) throws IOException {
    int threads = settings.intraOpThreads();
    List<BenchRow> rows = new ArrayList<>();
    Map<String, String> peerMeta = Map.of();
    try (MatmulRate machine = new MatmulRate(settings)) {
      rows.addAll(BenchReport.machineRows(machine, 10, threads));
      Interleaved.Machine probes = new Interleaved.Machine() {
        @Override
        public double matmulGflops() {
          return machine.matmulOnce();
        }

        @Override
        public double triadGbs() {
          return machine.triadOnce();
        }

        @Override
        public double load() {
          return Interleaved.loadAverage();
        }
      };
      for (BenchWorkload w : workloads) {
        if (w.name().equals(TrainEpochBench.NAME)) {
          // Training epochs are long and stateful: each tool times its epochs in turn (not interleaved), in this
          // invocation, with the machine's matmul rate and triad measured in the same window above.
          rows.addAll(TrainEpochBench.standard().run(threads, Math.max(1, warmup), runs, log));
          if (peerScript != null) {
            TorchPeer.Batch peer = TorchPeer.batch(peerScript, w.name(), threads, Math.max(1, warmup), runs, log);
            rows.addAll(TorchPeer.mapped(peer.rows()));
            peerMeta = peer.meta();
          }
          continue;
        }
        log.accept("hesspec bench: " + w.name() + " (" + w.examples() + " examples, " + threads + " intra-op threads, "
            + settings.interOpThreads() + " inter-op, product cache " + (settings.productCacheBytes() >> 20) + " MiB)"
            + (peerScript == null ? "" : ", interleaved with the PyTorch peer"));
        try (WorkerProtocol.Client ours = new WorkerProtocol.Client("hesspec worker for " + w.name(), hesspecWorker.apply(w), log);
            WorkerProtocol.Client peer = peerScript == null ? null
                : new WorkerProtocol.Client("PyTorch peer for " + w.name(), TorchPeer.serve(peerScript, w.name(), threads), log)) {
          ours.ready();
          int peerThreads = threads;
          if (peer != null) {
            peerMeta = peer.ready().meta();
            peerThreads = Integer.parseInt(peerMeta.getOrDefault("threads", Integer.toString(threads)));
          }
          if (densitySteps > 0) {
            // first in the hesspec process (its working memory is measured against what the process held before)
            rows.addAll(ours.call("density " + densitySteps).rows());
            if (peer != null) {
              rows.addAll(TorchPeer.mapped(peer.call("slq " + densitySteps).rows()));
            }
          } else if (warmup > 0) {
            // no density run has warmed the two processes: the first group would be timed cold
            Interleaved.warm(Interleaved.CURVATURE.get(0), ours::time, peer == null ? null : peer::time, COLD_START_SECONDS);
          }
          rows.addAll(Interleaved.run(w.name(), Interleaved.CURVATURE, ours::time, peer == null ? null : peer::time, probes, warmup,
              runs, threads, peerThreads, log));
          rows.addAll(ours.call("counts").rows());
          if (peer != null) {
            rows.addAll(TorchPeer.mapped(peer.call("counts").rows()));
          }
        }
      }
    }
    return new BenchRun(rows, peerMeta);
  }
}
