package org.hesspec.distributed;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.hesspec.curvature.BatchedData;
import org.hesspec.curvature.CurvatureGraph;
import org.hesspec.curvature.CurvatureOperator;
import org.hesspec.curvature.LinearOperator;
import org.hesspec.curvature.Loss;
import org.hesspec.curvature.SessionSettings;
import org.hesspec.data.Dataset;
import org.hesspec.data.GaussianMixtureGenerator;
import org.hesspec.data.Split;
import org.hesspec.model.FunctionModel;
import org.hesspec.model.ModelDefinition;
import org.hesspec.model.OutputKind;
import org.hesspec.model.ParameterLayout;
import org.hesspec.model.Precision;
import org.hesspec.spectral.DensityConfig;
import org.hesspec.spectral.DensityEstimate;
import org.hesspec.spectral.QuadratureRule;
import org.hesspec.spectral.SpectralDensity;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * The end-to-end check of the distributed products, run by {@link DistributedRuntimeTest} inside a
 * private network namespace ({@code unshare -n}, loopback only): starts worker JVMs on loopback
 * ports as its own children, and compares Hess v, G v, H v and a short Lanczos density computed on
 * them with the single-process {@link CurvatureGraph}, on a small float64 tanh MLP. Also checks,
 * from TensorFlow's step statistics, that each worker ran its own shard's gradient ops.
 *
 * <p>Arguments: {@code basePort workerCount...} (e.g. {@code 17001 2 3}: first on workers 0-1,
 * then on 0-2). Prints {@code DISTRIBUTED CHECK OK} and exits 0 on agreement (relative 1e-10).
 */
public final class DistributedCheck {

  static final double TOLERANCE = 1e-10;

  public static void main(String[] args) throws Exception {
    int basePort = Integer.parseInt(args[0]);
    int maxWorkers = 0;
    List<Integer> counts = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      counts.add(Integer.parseInt(args[i]));
      maxWorkers = Math.max(maxWorkers, counts.get(counts.size() - 1));
    }
    List<Process> children = new ArrayList<>();
    List<Path> logs = new ArrayList<>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> children.forEach(Process::destroyForcibly)));
    int status = 1;
    try {
      List<WorkerAddress> all = new ArrayList<>();
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      for (int w = 0; w < maxWorkers; w++) {
        all.add(new WorkerAddress("127.0.0.1", basePort + w));
        Path log = Files.createTempFile("hesspec-worker-" + w, ".log");
        logs.add(log);
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
            Worker.class.getName(), "--port", Integer.toString(basePort + w));
        pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        children.add(pb.start());
      }
      awaitPorts(all, Duration.ofSeconds(60), children, logs);
      String warning = Files.readString(logs.get(0));
      if (!warning.contains("no authentication") || !warning.contains("ALL network interfaces")) {
        throw new AssertionError("worker did not print the security warning: " + warning);
      }
      status = check(all, counts) ? 0 : 1;
      if (status == 0) {
        status = workerDiesDuringRun(all, children) ? 0 : 1;
      }
    } catch (Throwable t) {
      t.printStackTrace(System.out);
      for (Path log : logs) {
        System.out.println("--- " + log + ":\n" + Files.readString(log));
      }
    } finally {
      children.forEach(Process::destroyForcibly);
    }
    System.out.flush();
    System.exit(status);
  }

  private static void awaitPorts(List<WorkerAddress> all, Duration limit, List<Process> children, List<Path> logs) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    for (int w = 0; w < all.size(); w++) {
      while (true) {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress(all.get(w).host(), all.get(w).port()), 1000);
          break;
        } catch (IOException e) {
          if (!children.get(w).isAlive()) {
            throw new IllegalStateException("worker " + w + " exited: " + Files.readString(logs.get(w)));
          }
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("worker " + all.get(w) + " did not open its port in " + limit);
          }
          Thread.sleep(200);
        }
      }
    }
  }

  /** A tanh MLP 6-8-8-3 in float64. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static ModelDefinition model() {
    int d = 6;
    int h = 8;
    int c = 3;
    List<long[]> shapes = List.of(new long[] {d, h}, new long[] {h}, new long[] {h, h}, new long[] {h}, new long[] {h, c}, new long[] {c});
    List<String> names = new ArrayList<>();
    for (int k = 0; k < shapes.size(); k++) {
      names.add("param_" + k);
    }
    ParameterLayout layout = ParameterLayout.of(names, shapes);
    Random r = new Random(11);
    double[] theta = new double[Math.toIntExact(layout.dimension())];
    for (int i = 0; i < theta.length; i++) {
      theta[i] = 0.6 * r.nextGaussian();
    }
    return FunctionModel.build("tanh-mlp", layout, theta, new long[] {d}, c, Precision.FLOAT64, OutputKind.LOGITS, (tf, x, p) -> {
      Operand<TFloating> a = tf.math.tanh(tf.math.add(tf.linalg.matMul(x, p.get(0)), p.get(1)));
      a = tf.math.tanh(tf.math.add(tf.linalg.matMul(a, p.get(2)), p.get(3)));
      return tf.math.add(tf.linalg.matMul(a, p.get(4)), p.get(5));
    });
  }

  static boolean check(List<WorkerAddress> all, List<Integer> counts) {
    ModelDefinition model = model();
    Dataset ds = GaussianMixtureGenerator.generate(3, 6, 3.0, 23, 5, Split.TRAIN); // 69 examples
    boolean ok = true;
    // batch 10: 7 batches, the last of 9; dealt to 2 or 3 workers, padded
    try (BatchedData data = BatchedData.of(ds, 10, Precision.FLOAT64)) {
      for (Loss loss : new Loss[] {Loss.CROSS_ENTROPY, Loss.MSE}) {
        try (CurvatureGraph local = new CurvatureGraph(model, loss, model.layout(), SessionSettings.defaults())) {
          for (int count : counts) {
            List<WorkerAddress> ws = all.subList(0, count);
            long t0 = System.nanoTime();
            try (DistributedCurvature dist = new DistributedCurvature(model, loss, model.layout(), data,
                EnumSet.allOf(CurvatureOperator.class), ws,
                DistributedSettings.defaults())) {
              System.out.printf("%s, %d workers: set up in %.2f s, p=%d%n", loss, count, (System.nanoTime() - t0) / 1e9, dist.dimension());
              Random r = new Random(5);
              double[] v = new double[dist.dimension()];
              for (int i = 0; i < v.length; i++) {
                v[i] = r.nextGaussian();
              }
              ok &= relative(local.gradient(data), dist.gradient()) <= TOLERANCE;
              for (CurvatureOperator p : CurvatureOperator.values()) {
                double[] a = local.apply(p, v, data);
                long t1 = System.nanoTime();
                double[] b = dist.apply(p, v);
                double err = relative(a, b);
                System.out.printf("  %-16s relative difference %.3e (%.1f ms distributed)%n", p, err, (System.nanoTime() - t1) / 1e6);
                ok &= err <= TOLERANCE;
              }
              ok &= placementChecked(dist, v, count);
              // a short Lanczos density of the Hessian, both ways
              DensityConfig cfg = DensityConfig.of(8, 2, 99);
              DensityEstimate el = SpectralDensity.estimate(local.operator(org.hesspec.curvature.CurvatureOperator.HESSIAN, data), cfg);
              DensityEstimate ed = SpectralDensity.estimate(dist.operator(CurvatureOperator.HESSIAN), cfg);
              double worst = 0;
              for (int run = 0; run < el.quadrature().size(); run++) {
                QuadratureRule ql = el.quadrature().get(run);
                QuadratureRule qd = ed.quadrature().get(run);
                worst = Math.max(worst, relative(ql.nodes(), qd.nodes()));
                worst = Math.max(worst, relative(ql.weights(), qd.weights()));
              }
              worst = Math.max(worst, relative(el.density(), ed.density()));
              System.out.printf("  Lanczos density (M=8, K=2): relative difference of nodes, weights, density %.3e%n", worst);
              ok &= worst <= TOLERANCE;
            }
          }
        }
      }
    }
    System.out.println(ok ? "DISTRIBUTED CHECK OK" : "DISTRIBUTED CHECK FAILED");
    return ok;
  }

  /** A worker killed after set-up: the next product fails with an error within 60 s, no hang. */
  private static boolean workerDiesDuringRun(List<WorkerAddress> all, List<Process> children) throws Exception {
    ModelDefinition model = model();
    Dataset ds = GaussianMixtureGenerator.generate(3, 6, 3.0, 23, 5, Split.TRAIN);
    try (BatchedData data = BatchedData.of(ds, 10, Precision.FLOAT64)) {
      DistributedCurvature dist = new DistributedCurvature(model, Loss.CROSS_ENTROPY, model.layout(), data, EnumSet.of(CurvatureOperator.HESSIAN),
          all, DistributedSettings.defaults());
      double[] v = new double[dist.dimension()];
      v[0] = 1;
      dist.apply(CurvatureOperator.HESSIAN, v);
      Process last = children.get(children.size() - 1);
      last.destroyForcibly().waitFor();
      long t0 = System.nanoTime();
      try {
        Connectivity.withTimeout("a product after a worker died", java.time.Duration.ofSeconds(60), () -> dist.apply(CurvatureOperator.HESSIAN, v));
        System.out.println("worker killed: the product did not fail");
        return false;
      } catch (WorkerUnavailableException e) {
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("worker killed: the next product failed after %.1f s: %s%n", seconds, e.getMessage());
        return seconds < 60 && e.getMessage().contains(all.get(all.size() - 1).toString());
      }
    }
  }

  /** Every node of shard w (prefix {@code w<i>/}) ran on task w, and each worker ran its shard's second-order gradient ops. */
  private static boolean placementChecked(DistributedCurvature dist, double[] v, int count) {
    Map<String, List<String>> trace = new LinkedHashMap<>();
    dist.applyTraced(CurvatureOperator.HESSIAN, v, trace);
    boolean ok = true;
    int[] gradientOps = new int[count];
    for (Map.Entry<String, List<String>> e : trace.entrySet()) {
      int task = taskOf(e.getKey());
      for (String node : e.getValue()) {
        if (node.matches("w\\d+/.*")) {
          int owner = Integer.parseInt(node.substring(1, node.indexOf('/')));
          if (owner != task) {
            System.out.println("  MISPLACED: " + node + " ran on " + e.getKey());
            ok = false;
          } else if (node.contains("hesspec_hvp_hessian")) {
            gradientOps[owner]++;
          }
        }
      }
    }
    for (int w = 0; w < count; w++) {
      if (gradientOps[w] == 0) {
        System.out.println("  worker " + w + " ran none of its Hessian-vector gradient ops: " + trace.keySet());
        ok = false;
      }
    }
    System.out.println("  placement: second-order gradient ops executed per worker " + java.util.Arrays.toString(gradientOps)
        + (ok ? ", none misplaced" : ""));
    return ok;
  }

  private static int taskOf(String device) {
    int i = device.indexOf("/task:");
    if (i < 0) {
      return -1;
    }
    int j = device.indexOf('/', i + 1);
    return Integer.parseInt(device.substring(i + 6, j < 0 ? device.length() : j));
  }

  static double relative(double[] a, double[] b) {
    double num = 0;
    double den = 0;
    for (int i = 0; i < a.length; i++) {
      num += (a[i] - b[i]) * (a[i] - b[i]);
      den += a[i] * a[i];
    }
    return den == 0 ? Math.sqrt(num) : Math.sqrt(num / den);
  }

  static String classPath() {
    return System.getProperty("java.class.path") + File.pathSeparator;
  }
}
