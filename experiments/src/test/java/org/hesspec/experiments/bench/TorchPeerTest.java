package org.hesspec.experiments.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TorchPeerTest {

  private static final List<String> OUTPUT = List.of(
      "# torch=1.13.0a0",
      "# threads=2",
      "# interop_threads=1",
      "# blas=/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so;/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3",
      "# env=MALLOC_MMAP_THRESHOLD_=4294967296 OMP_WAIT_POLICY=PASSIVE OPENBLAS_CORETYPE=Haswell",
      "workload,metric,median_s,min_s,max_s,runs,threads",
      "mlp,params,1863690,1863690,1863690,1,2",
      "mlp,loss_grad,0.06398,0.0619754,0.07,10,2",
      "mlp,hvp_full,0.171034,0.168621,0.18,10,2",
      "mlp,hvp_reuse,0.106377,0.10404,0.11,10,2",
      "mlp,gnvp_full,0.141417,0.138283,0.15,10,2",
      "mlp,hv_residual_full,0.169757,0.162712,0.17,10,2",
      "mlp,check_split_relerr,2.8e-07,2.8e-07,2.8e-07,1,2",
      "mlp,slq_total,21.6784,21.6784,21.6784,1,2",
      "mlp,slq_per_iter,0.27098,0.27098,0.27098,80,2",
      "mlp,slq_ritz_max,2.35216,2.35216,2.35216,1,2",
      "mlp,peak_rss_MiB,1040.07,1040.07,1040.07,1,2");

  @Test
  void mapsPeerMetricsToContractNames() {
    TorchPeer.Result r = TorchPeer.parse(OUTPUT);
    List<String> metrics = r.rows().stream().map(BenchRow::metric).toList();
    assertEquals(List.of("params", "gradient", "hessian_vp", "hessian_vp_reuse", "G_vp", "H_vp", "density_run", "density_step",
        "peak_rss_mib"), metrics);
    assertTrue(r.rows().stream().allMatch(x -> x.tool().equals("pytorch") && x.workload().equals("mlp") && x.threads() == 2));
    assertEquals(new BenchRow("mlp", "pytorch", "hessian_vp", 0.171034, 0.168621, 0.18, 10, 2), r.rows().get(2));
    assertEquals(new BenchRow("mlp", "pytorch", "density_step", 0.27098, 0.27098, 0.27098, 80, 2), r.rows().get(7));
    assertEquals(1040.07, r.rows().get(8).medianS());
  }

  @Test
  void readsMetaAndDescribesIt() {
    TorchPeer.Result r = TorchPeer.parse(OUTPUT);
    assertEquals("1.13.0a0", r.meta().get("torch"));
    assertEquals("MALLOC_MMAP_THRESHOLD_=4294967296 OMP_WAIT_POLICY=PASSIVE OPENBLAS_CORETYPE=Haswell", r.meta().get("env"));
    assertEquals("PyTorch 1.13.0a0 peer: 2 threads, inter-op 1, BLAS libopenblasp-r0.3.21.so, OPENBLAS_CORETYPE=Haswell, tuned env "
        + "(OMP_WAIT_POLICY=PASSIVE, MALLOC_*)",
        TorchPeer.describe(r.meta()));
  }

  @Test
  void rejectsMalformedOutput() {
    assertThrows(IllegalArgumentException.class, () -> TorchPeer.parse(List.of("workload,tool,metric", "mlp,x,1")));
    assertThrows(IllegalArgumentException.class,
        () -> TorchPeer.parse(List.of("workload,metric,median_s,min_s,max_s,runs,threads", "mlp,loss_grad,0.1")));
  }

  @Test
  void tunedEnvironmentIsTheReadmes() {
    assertEquals("PASSIVE", TorchPeer.TUNED_ENV.get("OMP_WAIT_POLICY"));
    assertEquals("4294967296", TorchPeer.TUNED_ENV.get("MALLOC_MMAP_THRESHOLD_"));
    assertEquals("68719476736", TorchPeer.TUNED_ENV.get("MALLOC_TRIM_THRESHOLD_"));
    assertEquals("1073741824", TorchPeer.TUNED_ENV.get("MALLOC_TOP_PAD_"));
  }

  @Test
  void missingScriptIsReportedInOneLine() {
    String why = TorchPeer.unavailable(Path.of("/nonexistent/torch_peer.py"));
    assertNotNull(why);
    assertEquals(1, why.lines().count());
  }
}
