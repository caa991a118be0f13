package org.hesspec.experiments.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Run by {@code ClusterRunTest} inside a private network namespace: starts two workers
 * ({@code hesspec worker}) on loopback, runs a tiny experiment in this process and again with
 * {@code cluster: {workers: [...]}}, and compares the spectra: ritz.csv (the Lanczos quadrature
 * nodes and weights) and eigenvalues.csv, relative 1e-10 per column. density.csv is printed, not
 * compared: its grid spans the spectrum bounds of a non-reorthogonalised Lanczos run, whose
 * lower end for a near-singular G moves by percents under rounding-level changes of the products.
 * Prints {@code CLUSTER RUN OK} and exits 0 on agreement. Argument: a scratch folder.
 */
public final class ClusterRunCheck {

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    List<Process> workers = new ArrayList<>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> workers.forEach(Process::destroyForcibly)));
    int status = 1;
    try {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      for (int port : new int[] {17101, 17102}) {
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
            "worker", "--port", Integer.toString(port));
        pb.redirectErrorStream(true).redirectOutput(dir.resolve("worker-" + port + ".log").toFile());
        workers.add(pb.start());
      }
      for (int port : new int[] {17101, 17102}) {
        await(port);
      }
      String base = experiment(dir.resolve("model"));
      Path local = dir.resolve("local.yaml");
      Files.writeString(local, base.replace("NAME", "local"));
      Path cluster = dir.resolve("cluster.yaml");
      Files.writeString(cluster, base.replace("NAME", "cluster") + "cluster: {workers: [\"127.0.0.1:17101\", \"127.0.0.1:17102\"]}\n");
      int a = Main.execute("run", local.toString(), "--out", dir.resolve("out").toString());
      int b = Main.execute("run", cluster.toString(), "--out", dir.resolve("out").toString());
      if (a != 0 || b != 0) {
        throw new AssertionError("exit status local " + a + ", cluster " + b);
      }
      double worst = 0;
      for (String table : List.of("ritz.csv", "eigenvalues.csv", "density.csv")) {
        double w = compare(run(dir.resolve("out/local")).resolve(table), run(dir.resolve("out/cluster")).resolve(table));
        System.out.printf("%s: largest relative difference %.3e%s%n", table, w, table.equals("density.csv") ? " (not compared)" : "");
        if (!table.equals("density.csv")) {
          worst = Math.max(worst, w);
        }
      }
      String log = Files.readString(dir.resolve("worker-17101.log"));
      if (!log.contains("no authentication")) {
        throw new AssertionError("no security warning: " + log);
      }
      status = worst <= 1e-10 ? 0 : 1;
      System.out.println(status == 0 ? "CLUSTER RUN OK" : "CLUSTER RUN DIFFERS");
    } catch (Throwable t) {
      t.printStackTrace(System.out);
    } finally {
      workers.forEach(Process::destroyForcibly);
    }
    System.out.flush();
    System.exit(status);
  }

  /** The tiny experiment both checks run (NAME replaced by the run's name), training its model into {@code model} once. */
  static String experiment(Path model) {
    return """
          name: NAME
          seed: 3
          precision: float64
          model:
            savedmodel: %s
            train: {architecture: mlp, hidden: [8], activation: tanh, learning_rate: 0.05, epochs: 5, batch_size: 20}
          data: {source: gaussian-mixture, classes: 3, dims: 5, separation: 3.0, train: {per_class: 17}}
          loss: cross_entropy
          batch_size: 10
          operators: [hessian, G, H, empirical_fisher, gradient_covariance, fisher_mc]
          splits: [train]
          analyses:
            density: {iterations: 12, runs: 2, grid: 64, scales: [linear]}
            top_eigen: {k: 3}
          """.formatted(model.toAbsolutePath());
  }

  private static void await(int port) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("worker on " + port + " did not start");
        }
        Thread.sleep(200);
      }
    }
  }

  static Path run(Path nameDir) throws IOException {
    try (Stream<Path> s = Files.list(nameDir)) {
      return s.filter(p -> !p.getFileName().toString().startsWith(".")).findFirst().orElseThrow();
    }
  }

  /** Largest |a-b| / max over the column of |a|, over the numeric columns; the text columns must be equal. */
  static double compare(Path a, Path b) throws IOException {
    List<String> la = Files.readAllLines(a);
    List<String> lb = Files.readAllLines(b);
    if (la.size() != lb.size()) {
      throw new AssertionError(a.getFileName() + ": " + la.size() + " vs " + lb.size() + " lines");
    }
    int cols = la.get(0).split(",").length;
    double[] scale = new double[cols];
    double[] diff = new double[cols];
    for (int i = 1; i < la.size(); i++) {
      String[] fa = la.get(i).split(",");
      String[] fb = lb.get(i).split(",");
      for (int j = 0; j < fa.length; j++) {
        try {
          double x = Double.parseDouble(fa[j]);
          double y = Double.parseDouble(fb[j]);
          scale[j] = Math.max(scale[j], Math.abs(x));
          diff[j] = Math.max(diff[j], Math.abs(x - y));
        } catch (NumberFormatException e) {
          if (!fa[j].equals(fb[j])) {
            throw new AssertionError(a.getFileName() + " line " + i + ": " + la.get(i) + " vs " + lb.get(i));
          }
        }
      }
    }
    // A residual is compared on the scale of the eigenvalues: it is rounding-level noise on ~1e-9 numbers,
    // whose own relative difference says nothing (the converged pairs agree to the tolerance either way).
    List<String> header = List.of(la.get(0).split(","));
    if (header.contains("residual") && header.contains("eigenvalue")) {
      scale[header.indexOf("residual")] = scale[header.indexOf("eigenvalue")];
    }
    double worst = 0;
    for (int j = 0; j < cols; j++) {
      if (scale[j] > 0) {
        worst = Math.max(worst, diff[j] / scale[j]);
      }
    }
    return worst;
  }
}
