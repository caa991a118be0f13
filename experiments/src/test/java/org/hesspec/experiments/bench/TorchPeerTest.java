package org.hesspec.experiments.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TorchPeerTest {

  @Test
  void mapsPeerMetricsToContractNamesAndDropsTheRest() {
    List<BenchRow> raw = List.of(BenchRow.single("mlp", "pytorch", "params", "count", 1863690, 2),
        new BenchRow("mlp", "pytorch", "hvp_full", "s", 0.171034, 0.168621, 0.18, 10, 2),
        BenchRow.single("mlp", "pytorch", "check_split_relerr", "ratio", 2.8e-7, 2),
        new BenchRow("mlp", "pytorch", "slq_per_iter", "s", 0.27098, 0.27098, 0.27098, 80, 2),
        BenchRow.single("mlp", "pytorch", "slq_ritz_max", "eigenvalue", 2.35, 2),
        BenchRow.single("mlp", "pytorch", "peak_rss_MiB", "MiB", 1040.07, 2));
    List<BenchRow> m = TorchPeer.mapped(raw);
    assertEquals(List.of("params", "hessian_vp", "density_step", "peak_rss_mib"), m.stream().map(BenchRow::metric).toList());
    assertEquals(new BenchRow("mlp", "pytorch", "hessian_vp", "s", 0.171034, 0.168621, 0.18, 10, 2), m.get(1));
    assertEquals("MiB", m.get(3).unit());
  }

  @Test
  void describesTheMeta() {
    Map<String, String> meta = Map.of("torch", "1.13.0a0", "threads", "2", "interop_threads", "1", "blas",
        "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so;/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3",
        "env", "MALLOC_MMAP_THRESHOLD_=4294967296 OMP_WAIT_POLICY=PASSIVE OPENBLAS_CORETYPE=Haswell");
    assertEquals("PyTorch 1.13.0a0 peer: 2 threads, inter-op 1, BLAS libopenblasp-r0.3.21.so, OPENBLAS_CORETYPE=Haswell, tuned env "
        + "(OMP_WAIT_POLICY=PASSIVE, MALLOC_*)", TorchPeer.describe(meta));
  }

  @Test
  void namesTheReferenceBlas() {
    // python3-torch without libopenblas0-pthread: Debian's netlib BLAS, 5.8 GFLOP/s at a 2000^3 matmul on 2 threads
    // against OpenBLAS's 114 here; both libraries are called libblas.so.3.
    Map<String, String> meta = Map.of("torch", "1.13.0a0", "threads", "2", "interop_threads", "1", "blas",
        "/usr/lib/x86_64-linux-gnu/blas/libblas.so.3", "env", "OMP_WAIT_POLICY=PASSIVE");
    assertTrue(TorchPeer.describe(meta).contains("BLAS libblas.so.3 (the reference BLAS, about 20x slower at matmul: install "
        + "libopenblas0-pthread)"), TorchPeer.describe(meta));
    assertFalse(TorchPeer.referenceBlas(Map.of("blas", "/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3")));
    assertFalse(TorchPeer.referenceBlas(Map.of()));
  }

  @Test
  void tunedEnvironmentIsTheReadmes() {
    assertEquals("PASSIVE", TorchPeer.TUNED_ENV.get("OMP_WAIT_POLICY"));
    assertEquals("4", TorchPeer.TUNED_ENV.get("OPENBLAS_THREAD_TIMEOUT"));
    assertEquals("4294967296", TorchPeer.TUNED_ENV.get("MALLOC_MMAP_THRESHOLD_"));
    assertEquals("68719476736", TorchPeer.TUNED_ENV.get("MALLOC_TRIM_THRESHOLD_"));
    assertEquals("1073741824", TorchPeer.TUNED_ENV.get("MALLOC_TOP_PAD_"));
    assertEquals(TorchPeer.TUNED_ENV, TorchPeer.serve(Path.of("x.py"), "mlp", 2).environment().entrySet().stream()
        .filter(e -> TorchPeer.TUNED_ENV.containsKey(e.getKey())).collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
            Map.Entry::getValue)));
  }

  @Test
  void missingScriptIsReportedInOneLine() {
    String why = TorchPeer.unavailable(Path.of("/nonexistent/torch_peer.py"));
    assertNotNull(why);
    assertEquals(1, why.lines().count());
  }

  /**
   * The real script in serve mode (skipped where torch is not importable): it answers timed
   * repetitions, refuses an unknown request with an error and keeps serving, and reports the
   * parameter count of mlp-small (784*256 + 256 + 256*256 + 256 + 256*10 + 10 = 269,322).
   */
  @Test
  void servesRepetitionsOnStdin() throws Exception {
    Path script = Path.of("").toAbsolutePath().getParent().resolve("bench/torch_peer.py");
    assumeTrue(TorchPeer.unavailable(script) == null, "PyTorch peer not available");
    List<String> logged = new ArrayList<>();
    try (WorkerProtocol.Client peer = new WorkerProtocol.Client("peer", TorchPeer.serve(script, "mlp-small", 1), logged::add)) {
      Map<String, String> meta = peer.ready().meta();
      assertEquals("1", meta.get("threads"), "the peer takes hesspec's thread count");
      assertTrue(meta.get("env").contains("OMP_WAIT_POLICY=PASSIVE"), meta.toString());
      // OpenBLAS reads its thread timeout from the environment when it loads: the peer must have it from the start
      assertTrue(meta.get("env").contains("OPENBLAS_THREAD_TIMEOUT=4"), meta.toString());
      for (String metric : List.of("loss_grad", "hvp_full", "hvp_reuse", "gnvp_full", "hv_residual_full")) {
        double t = peer.time(metric);
        assertTrue(t > 0 && t < 60, metric + ": " + t);
      }
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> peer.time("nonsense"));
      assertTrue(e.getMessage().contains("unknown request 'time nonsense'"), e.getMessage());
      List<BenchRow> counts = TorchPeer.mapped(peer.call("counts").rows());
      assertEquals(269_322, counts.get(0).median());
      assertEquals("params", counts.get(0).metric());
      assertEquals("peak_rss_mib", counts.get(1).metric());
      // the split check Hess v = G v + H v holds to float32 rounding (relative 1e-5; measured ~3e-7)
      double split = peer.call("counts").rows().stream().filter(r -> r.metric().equals("check_split_relerr")).findFirst()
          .orElseThrow().median();
      assertTrue(split < 1e-5, "split " + split);
    }
  }
}
