package org.hesspec.experiments.bench;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The PyTorch peer ({@code bench/torch_peer.py}) run from {@code hesspec bench}: with the system
 * Python in the tuned environment of {@code bench/README.md}, kept alive per workload
 * ({@code --serve}, {@link WorkerProtocol}) so that its repetitions alternate with hesspec's, its
 * metrics mapped onto the metric names of bench.csv under tool {@code pytorch}.
 */
public final class TorchPeer {

  public static final String PYTHON = "/usr/bin/python3";

  /**
   * Stops OpenMP spin-waiting and glibc re-mapping every large tensor on a small machine: without
   * them the peer is 2-15x slower and noisy, a comparison that would flatter hesspec. And stops
   * OpenBLAS's own worker threads spinning after each BLAS call (by default for 2^28 cycles, about
   * 0.1 s; {@code OPENBLAS_THREAD_TIMEOUT=4} is its minimum, 2^4 cycles): in interleaved rounds
   * the spinning worker took a core from hesspec's next repetition, which made hesspec's timings
   * vary 1.8-2.5x between rounds at two threads and their medians slower (see results/bench/README.md,
   * "Why the cached Hess v varied more"), while the peer's own times did not change.
   */
  public static final Map<String, String> TUNED_ENV = Map.of(
      "OMP_WAIT_POLICY", "PASSIVE",
      "OPENBLAS_THREAD_TIMEOUT", "4",
      "MALLOC_MMAP_THRESHOLD_", "4294967296",
      "MALLOC_TRIM_THRESHOLD_", "68719476736",
      "MALLOC_TOP_PAD_", "1073741824");

  /** Peer metric -> bench.csv metric (others are dropped). */
  static final Map<String, String> METRICS = metrics();

  private static Map<String, String> metrics() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("params", "params");
    m.put("loss_grad", "gradient");
    m.put("hvp_full", "hessian_vp");
    m.put("hvp_reuse", "hessian_vp_reuse");
    m.put("gnvp_full", "G_vp");
    m.put("hv_residual_full", "H_vp");
    m.put("slq_total", "density_run");
    m.put("slq_per_iter", "density_step");
    m.put("peak_rss_MiB", "peak_rss_mib");
    m.put("train_epoch", "train_epoch");
    return m;
  }

  private TorchPeer() {}

  /** The script next to the build: {@code <root>/bench/torch_peer.py}, root three levels above the jar or classes. */
  public static Path defaultScript() {
    try {
      Path code = Path.of(TorchPeer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path root = code.getParent() == null ? null : code.getParent().getParent();
      root = root == null ? null : root.getParent();
      if (root != null && Files.isRegularFile(root.resolve("bench/torch_peer.py"))) {
        return root.resolve("bench/torch_peer.py");
      }
    } catch (URISyntaxException | RuntimeException e) {
      // fall through to the working directory
    }
    return Path.of("bench", "torch_peer.py").toAbsolutePath();
  }

  /** Why the peer cannot run (one line), or null if it can: the script and {@code import torch} in the system Python. */
  public static String unavailable(Path script) {
    if (!Files.isRegularFile(script)) {
      return "peer script " + script + " not found";
    }
    if (!Files.isExecutable(Path.of(PYTHON))) {
      return PYTHON + " not found";
    }
    try {
      ProcessBuilder pb = new ProcessBuilder(PYTHON, "-c", "import torch").redirectErrorStream(true);
      pb.environment().putAll(TUNED_ENV);
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "'" + PYTHON + " -c \"import torch\"' did not finish in 120 s";
      }
      if (p.exitValue() != 0) {
        String[] lines = out.split("\n");
        return "torch not importable by " + PYTHON + " (" + lines[lines.length - 1].strip() + ")";
      }
      return null;
    } catch (IOException e) {
      return "cannot start " + PYTHON + ": " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** The rows and meta data of one batch run of the peer. */
  public record Batch(List<BenchRow> rows, Map<String, String> meta) {}

  /**
   * One workload run by the peer in batch mode ({@code --worker}: warm-up, then timed repetitions) in the tuned
   * environment; used for {@code train_epoch}, whose epochs are not interleaved.
   */
  @SuppressWarnings("unchecked")
  public static Batch batch(Path script, String workload, int threads, int warmup, int runs, java.util.function.Consumer<String> log) {
    try {
      Path out = java.nio.file.Files.createTempFile("hesspec-peer-", ".json");
      try {
        ProcessBuilder pb = new ProcessBuilder(PYTHON, script.toString(), "--worker", workload, "--worker-out", out.toString(),
            "--runs", Integer.toString(runs), "--warmup", Integer.toString(warmup), "--slq-steps", "0",
            "--threads", Integer.toString(threads));
        pb.environment().putAll(TUNED_ENV);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
            java.nio.charset.StandardCharsets.UTF_8))) {
          for (String line = r.readLine(); line != null; line = r.readLine()) {
            log.accept(line);
          }
        }
        if (p.waitFor() != 0) {
          throw new IllegalStateException("the PyTorch peer failed on " + workload + " (exit " + p.exitValue() + ")");
        }
        Map<String, Object> res = (Map<String, Object>) org.hesspec.json.Json.parse(java.nio.file.Files.readString(out));
        List<BenchRow> rows = new ArrayList<>();
        Map<String, Object> meta = (Map<String, Object>) res.getOrDefault("meta", Map.of());
        int peerThreads = meta.get("threads") instanceof Number n ? n.intValue() : threads;
        for (Object o : (List<Object>) res.get("rows")) {
          List<Object> c = (List<Object>) o;
          rows.add(new BenchRow(String.valueOf(c.get(0)), "pytorch", String.valueOf(c.get(1)), String.valueOf(c.get(2)),
              ((Number) c.get(3)).doubleValue(), ((Number) c.get(4)).doubleValue(), ((Number) c.get(5)).doubleValue(),
              ((Number) c.get(6)).intValue(), peerThreads));
        }
        Map<String, String> m = new java.util.LinkedHashMap<>();
        meta.forEach((k, v) -> m.put(k, String.valueOf(v)));
        return new Batch(rows, m);
      } finally {
        java.nio.file.Files.deleteIfExists(out);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("running the PyTorch peer " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The peer serving {@code workload} ({@code --serve}) with {@code threads} intra-op threads (hesspec's own, so
   * that both tools get the same cores) in the tuned environment, for {@link WorkerProtocol.Client}.
   */
  public static ProcessBuilder serve(Path script, String workload, int threads) {
    ProcessBuilder pb = new ProcessBuilder(PYTHON, script.toString(), "--serve", workload, "--threads", Integer.toString(threads));
    pb.environment().putAll(TUNED_ENV);
    return pb;
  }

  /**
   * The peer's rows with the metric names of bench.csv ({@link #METRICS}; others, such as its split
   * check and Ritz values, are dropped), tool {@code pytorch}.
   */
  public static List<BenchRow> mapped(List<BenchRow> rows) {
    List<BenchRow> out = new ArrayList<>();
    for (BenchRow r : rows) {
      String metric = METRICS.get(r.metric());
      if (metric != null) {
        out.add(new BenchRow(r.workload(), "pytorch", metric, r.unit(), r.median(), r.min(), r.max(), r.runs(), r.threads()));
      }
    }
    return out;
  }

  /** One line for the table header: version, threads, BLAS, from the peer's {@code meta} lines. */
  public static String describe(Map<String, String> meta) {
    String first = meta.getOrDefault("blas", "?").split(";")[0];
    int slash = first.lastIndexOf('/');
    StringBuilder openblas = new StringBuilder();
    for (String kv : meta.getOrDefault("env", "").split(" ")) {
      if (kv.startsWith("OPENBLAS_")) {
        openblas.append(", ").append(kv);
      }
    }
    return "PyTorch " + meta.getOrDefault("torch", "?") + " peer: " + meta.getOrDefault("threads", "?") + " threads, inter-op "
        + meta.getOrDefault("interop_threads", "?") + ", BLAS " + (slash >= 0 ? first.substring(slash + 1) : first)
        + (referenceBlas(meta) ? " (the reference BLAS, about 20x slower at matmul: install libopenblas0-pthread)" : "") + openblas
        + ", tuned env (OMP_WAIT_POLICY=PASSIVE, MALLOC_*)";
  }

  /**
   * Whether the peer runs on Debian's reference (netlib) BLAS, which python3-torch gets without
   * libopenblas0-pthread: same file name, libblas.so.3, as OpenBLAS's, so only the folder tells them apart.
   */
  static boolean referenceBlas(Map<String, String> meta) {
    String blas = meta.getOrDefault("blas", "");
    return blas.contains("/blas/libblas.so") && !blas.contains("openblas") && !blas.contains("mkl");
  }
}
