package org.hesspec.experiments.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.hesspec.curvature.BatchedData;
import org.hesspec.curvature.CurvatureGraph;
import org.hesspec.curvature.CurvatureOperator;
import org.hesspec.curvature.LinearOperator;
import org.hesspec.curvature.Loss;
import org.hesspec.curvature.SessionSettings;
import org.hesspec.model.ModelDefinition;
import org.hesspec.model.Precision;
import org.hesspec.spectral.EigenPairs;
import org.hesspec.spectral.StartVector;
import org.hesspec.spectral.TopEigen;
import org.hesspec.spectral.TopEigenConfig;

/**
 * What converging the top-k pairs costs against the earlier fixed Lanczos run, on a bench workload's
 * Hessian (float32, all examples): for {@code top_eigen: {k: 10}} and {@code {k: 5, which:
 * smallest}}, the number of products thick-restart Lanczos (Wu and Simon 2000) spends to converge
 * every pair to the float32 default tolerance with the default basis and budget, against the
 * earlier behaviour, {@code 2k + 20} Lanczos steps with full reorthogonalisation and whatever Ritz
 * pairs they give (here: a basis of {@code 2k + 20} and a budget that ends the run there, plus the k
 * residual products both spend).
 *
 * <p>Rows per case {@code c} ({@code largest10}, {@code smallest5}), tool {@code hesspec}: {@code
 * topk_c_products} and {@code topk_c_fixed_products} (count, residual products included), {@code
 * _converged} (pairs within the bound), {@code _max_residual} (the largest residual over the bound
 * {@code tolerance x max |theta|}, unit {@code ratio}: at most 1 when every pair converged), {@code
 * _time} (s), and {@code topk_c_fixed_error}: the largest {@code |theta_fixed,i - theta_i|} over
 * the converged run's bound (ratio), how far the fixed run's values were from converged ones.
 *
 * <p>Run as {@code java -cp 'experiments/target/hesspec-experiments.jar:experiments/target/lib/*'
 * org.hesspec.experiments.bench.TopKCost WORKLOAD...} (workloads of {@link BenchWorkload}); prints
 * the rows as bench.csv lines on stdout.
 */
public final class TopKCost {

  /** One case: k pairs at one end. */
  record Case(String name, int k, TopEigenConfig.Which which) {}

  static final List<Case> CASES =
      List.of(new Case("largest10", 10, TopEigenConfig.Which.LARGEST), new Case("smallest5", 5, TopEigenConfig.Which.SMALLEST));

  private TopKCost() {}

  /** The converged run's config: defaults as {@code top_eigen: {k, which}} gets them for a float32 model. */
  static TopEigenConfig converged(Case c, long seed) {
    int m = TopEigenConfig.defaultBasisSize(c.k());
    return new TopEigenConfig(c.k(), m, c.which(), StartVector.GAUSSIAN, seed, TopEigenConfig.FLOAT32_TOLERANCE,
        TopEigenConfig.defaultMaxProducts(m), TopEigenConfig.ResidualMethod.PRODUCT, false, Precision.FLOAT32);
  }

  /** The earlier fixed run: 2k + 20 steps, then the k residual products; no restart. */
  static TopEigenConfig fixed(Case c, long seed) {
    int m = 2 * c.k() + 20;
    return new TopEigenConfig(c.k(), m, c.which(), StartVector.GAUSSIAN, seed, TopEigenConfig.FLOAT32_TOLERANCE, m + c.k(),
        TopEigenConfig.ResidualMethod.PRODUCT, false, Precision.FLOAT32);
  }

  /** The rows of every case on operator {@code a}. */
  static List<BenchRow> measure(String workload, LinearOperator a, int threads, Consumer<String> log) {
    List<BenchRow> rows = new ArrayList<>();
    for (Case c : CASES) {
      long seed = BenchWorkload.SEED + 7;
      long t0 = System.nanoTime();
      EigenPairs conv = TopEigen.compute(a, converged(c, seed));
      double tConv = (System.nanoTime() - t0) / 1e9;
      t0 = System.nanoTime();
      EigenPairs fix = TopEigen.compute(a, fixed(c, seed));
      double tFix = (System.nanoTime() - t0) / 1e9;
      double error = 0;
      for (int i = 0; i < Math.min(conv.count(), fix.count()); i++) {
        error = Math.max(error, Math.abs(fix.eigenvalues()[i] - conv.eigenvalues()[i]) / conv.residualBound());
      }
      String m = "topk_" + c.name();
      rows.add(BenchRow.single(workload, "hesspec", m + "_products", BenchRow.COUNT, conv.products(), threads));
      rows.add(BenchRow.single(workload, "hesspec", m + "_converged", BenchRow.COUNT, conv.convergedCount(), threads));
      rows.add(BenchRow.single(workload, "hesspec", m + "_max_residual", BenchRow.RATIO, maxResidual(conv), threads));
      rows.add(BenchRow.single(workload, "hesspec", m + "_time", BenchRow.SECONDS, tConv, threads));
      rows.add(BenchRow.single(workload, "hesspec", m + "_fixed_products", BenchRow.COUNT, fix.products(), threads));
      rows.add(BenchRow.single(workload, "hesspec", m + "_fixed_converged", BenchRow.COUNT, fix.convergedCount(), threads));
      rows.add(BenchRow.single(workload, "hesspec", m + "_fixed_max_residual", BenchRow.RATIO, maxResidual(fix), threads));
      rows.add(BenchRow.single(workload, "hesspec", m + "_fixed_time", BenchRow.SECONDS, tFix, threads));
      rows.add(BenchRow.single(workload, "hesspec", m + "_fixed_error", BenchRow.RATIO, error, threads));
      log.accept(String.format(Locale.ROOT,
          "  [%s] %s: converged %d/%d in %d products (%d restarts, %.1f s, max residual %.2f of the bound, %s);"
              + " fixed %d steps: %d/%d converged in %d products (%.1f s), max residual %.3g of the bound,"
              + " values off by up to %.3g of the bound",
          workload, c.name(), conv.convergedCount(), conv.count(), conv.products(), conv.restarts(), tConv, maxResidual(conv),
          conv.stop().name().toLowerCase(Locale.ROOT), 2 * c.k() + 20, fix.convergedCount(), fix.count(), fix.products(), tFix,
          maxResidual(fix), error));
    }
    return rows;
  }

  /** The largest residual over the pairs' bound. */
  static double maxResidual(EigenPairs pairs) {
    double r = 0;
    for (double x : pairs.residuals()) {
      r = Math.max(r, x / pairs.residualBound());
    }
    return r;
  }

  /** The rows for a bench workload's Hessian over all its examples. */
  public static List<BenchRow> run(BenchWorkload w, int threads, Consumer<String> log) {
    ModelDefinition model = w.model();
    try (CurvatureGraph g = new CurvatureGraph(model, Loss.CROSS_ENTROPY, model.layout(), new SessionSettings(threads, 1));
        BatchedData data = BatchedData.of(w.data(), w.examples(), model.precision())) {
      log.accept("  [" + w.name() + "] p = " + g.dimension() + ", n = " + w.examples());
      return measure(w.name(), g.operator(CurvatureOperator.HESSIAN, data), threads, log);
    }
  }

  /** {@code TopKCost WORKLOAD...}: the rows as bench.csv lines on stdout, progress on stderr. */
  public static void main(String[] args) {
    if (args.length == 0) {
      System.err.println("usage: TopKCost WORKLOAD... (mlp, cnn, mlp-small)");
      System.exit(2);
    }
    int threads = Runtime.getRuntime().availableProcessors();
    System.out.println(BenchReport.HEADER);
    for (String name : args) {
      for (BenchRow r : run(BenchWorkload.named(name), threads, System.err::println)) {
        System.out.println(String.join(",", r.workload(), r.tool(), r.metric(), r.unit(), Double.toString(r.median()),
            Double.toString(r.min()), Double.toString(r.max()), Integer.toString(r.runs()), Integer.toString(r.threads())));
      }
    }
  }
}
