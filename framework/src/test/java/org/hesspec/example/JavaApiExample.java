package org.hesspec.example;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hesspec.curvature.BatchedData;
import org.hesspec.curvature.CurvatureGraph;
import org.hesspec.curvature.CurvatureOperator;
import org.hesspec.curvature.LinearOperator;
import org.hesspec.curvature.Loss;
import org.hesspec.curvature.SessionSettings;
import org.hesspec.data.DataLoader;
import org.hesspec.data.DataSource;
import org.hesspec.data.Dataset;
import org.hesspec.data.Split;
import org.hesspec.model.ModelDefinition;
import org.hesspec.model.Precision;
import org.hesspec.model.SavedModelImporter;
import org.hesspec.report.DensityRow;
import org.hesspec.report.RitzRow;
import org.hesspec.report.TableFile;
import org.hesspec.report.Tables;
import org.hesspec.spectral.DensityConfig;
import org.hesspec.spectral.DensityEstimate;
import org.hesspec.spectral.QuadratureRule;
import org.hesspec.spectral.SpectralDensity;

/** The spectral density of a trained network's Hessian, from Java (docs/java-api.md). */
public final class JavaApiExample {

  public static void main(String[] args) {
    Path model = Path.of(args.length > 0 ? args[0] : "savedmodels/gmm-mlp-tiny");
    Path out = Path.of(args.length > 1 ? args[1] : "results/java-api-example");
    DensityEstimate density = run(model, out);
    System.out.printf("Hessian density on [%.4g, %.4g] from %d Lanczos runs, tables in %s%n",
        density.x()[0], density.x()[density.x().length - 1], density.quadrature().size(), out);
  }

  /** Estimates the density of the Hessian of {@code savedModel} and writes two tables. */
  public static DensityEstimate run(Path savedModel, Path out) {
    // 1. The model as a pure function of its parameters theta, converted to float64.
    ModelDefinition model = SavedModelImporter.load(
        savedModel, SavedModelImporter.Options.defaults().withPrecision(Precision.FLOAT64));

    // 2. Its training data: the built-in Gaussian mixture (10 classes in 20 dimensions,
    //    separation 4), 50 examples per class, seed 11 -- what savedmodels/gmm-mlp-tiny.yaml says.
    Dataset train = DataLoader.load(
        new DataSource.GaussianMixture(10, 20, 4.0), Split.TRAIN, 50, 11L);

    try (CurvatureGraph graph = new CurvatureGraph(
            model, Loss.CROSS_ENTROPY, model.layout(), SessionSettings.defaults());
        BatchedData batches = BatchedData.of(train, 500, model.precision())) {
      // 3. The Hessian of the mean cross-entropy over the 500 examples, as a p x p operator.
      LinearOperator hessian = graph.operator(CurvatureOperator.HESSIAN, batches);

      // 4. Stochastic Lanczos quadrature: M = 60 Lanczos steps, K = 4 runs, seed 1.
      DensityEstimate density = SpectralDensity.estimate(hessian, DensityConfig.of(60, 4, 1L));

      // 5. The tables a run writes (docs/output-contract.md): density.csv and ritz.csv.
      List<DensityRow> curve = new ArrayList<>();
      for (int i = 0; i < density.x().length; i++) {
        curve.add(new DensityRow(
            "none", "train", "hessian", "linear", density.x()[i], density.density()[i]));
      }
      List<RitzRow> ritz = new ArrayList<>();
      for (QuadratureRule rule : density.quadrature()) {
        for (int j = 0; j < rule.steps(); j++) {
          ritz.add(new RitzRow(
              "none", "train", "hessian", rule.run(), rule.nodes()[j], rule.weights()[j]));
        }
      }
      TableFile.in(out, Tables.DENSITY).write(curve);
      TableFile.in(out, Tables.RITZ).write(ritz);
      return density;
    }
  }
}
