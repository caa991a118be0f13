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
 * Python in the tuned environment of {@code shared/bench/README.md}, its metrics mapped onto
 * CONTRACT.md's names under tool {@code pytorch}.
 */
public final class TorchPeer {

  public static final String PYTHON = "/usr/bin/python3";

  /**
   * Stops OpenMP spin-waiting and glibc re-mapping every large tensor on a small machine: without
   * them the peer is 2-15x slower and noisy, a comparison that would flatter hesspec.
   */
  public static final Map<String, String> TUNED_ENV = Map.of(
      "OMP_WAIT_POLICY", "PASSIVE",
      "MALLOC_MMAP_THRESHOLD_", "4294967296",
      "MALLOC_TRIM_THRESHOLD_", "68719476736",
      "MALLOC_TOP_PAD_", "1073741824");

  /** Peer metric -> CONTRACT.md metric (others are dropped). */
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

  /**
   * @param rows the peer's rows, tool pytorch, CONTRACT.md metric names
   * @param meta the {@code # key=value} lines: torch, threads, interop_threads, blas, env
   */
  public record Result(List<BenchRow> rows, Map<String, String> meta) {}

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

  /** Runs the peer on {@code workloads} (its progress on this process's stderr) and returns its mapped rows. */
  public static Result run(Path script, List<String> workloads, int runs, int warmup, int slqSteps)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("hesspec-peer-", ".csv");
    try {
      ProcessBuilder pb = new ProcessBuilder(PYTHON, script.toString(), "--out", out.toString(), "--workloads",
          String.join(",", workloads), "--runs", Integer.toString(runs), "--warmup", Integer.toString(warmup), "--slq-steps",
          Integer.toString(slqSteps));
      pb.environment().putAll(TUNED_ENV);
      pb.redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT);
      int rc = pb.start().waitFor();
      if (rc != 0) {
        throw new IllegalStateException("the PyTorch peer failed with exit status " + rc);
      }
      return parse(Files.readAllLines(out, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** Parses the peer's CSV ({@code # key=value} lines, a header, rows) and maps its metrics. */
  static Result parse(List<String> lines) {
    Map<String, String> meta = new LinkedHashMap<>();
    List<BenchRow> rows = new ArrayList<>();
    boolean header = false;
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      if (line.startsWith("#")) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          meta.put(line.substring(1, eq).strip(), line.substring(eq + 1).strip());
        }
        continue;
      }
      if (!header) {
        if (!line.strip().equals("workload,metric,median_s,min_s,max_s,runs,threads")) {
          throw new IllegalArgumentException("unexpected peer CSV header: " + line);
        }
        header = true;
        continue;
      }
      String[] f = line.split(",", -1);
      if (f.length != 7) {
        throw new IllegalArgumentException("peer CSV line with " + f.length + " fields, expected 7: " + line);
      }
      String metric = METRICS.get(f[1]);
      if (metric != null) {
        rows.add(new BenchRow(f[0], "pytorch", metric, Double.parseDouble(f[2]), Double.parseDouble(f[3]),
            Double.parseDouble(f[4]), Integer.parseInt(f[5]), Integer.parseInt(f[6])));
      }
    }
    return new Result(rows, meta);
  }

  /** One line for the table header: version, threads, BLAS. */
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
        + meta.getOrDefault("interop_threads", "?") + ", BLAS " + (slash >= 0 ? first.substring(slash + 1) : first) + openblas
        + ", tuned env (OMP_WAIT_POLICY=PASSIVE, MALLOC_*)";
  }
}
