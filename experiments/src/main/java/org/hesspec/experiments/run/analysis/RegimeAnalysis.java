package org.hesspec.experiments.run.analysis;

import java.util.Optional;
import org.hesspec.curvature.BatchedData;
import org.hesspec.curvature.CurvatureGraph;
import org.hesspec.curvature.Loss;
import org.hesspec.experiments.config.ExperimentConfig;
import org.hesspec.experiments.run.Rows;
import org.hesspec.model.FeatureTensor;
import org.hesspec.structure.Margins;
import org.hesspec.structure.NeuralCollapse;

/**
 * The classification regime of each split at the analysed parameters, run by every experiment without
 * {@code cluster:}: C ({@code classes}, which the derived quantities of each sweep point use), the loss,
 * and for softmax cross-entropy the accuracy, the logit margins and the neural-collapse statistic nc1 of
 * the penultimate features (Papyan, Han and Donoho 2020; absent when the model has no such tensor).
 * Writes {@code summary.csv} rows with operator {@code model}.
 */
final class RegimeAnalysis implements Analysis {

  private static final String NAME = "regime";
  private static final String MODEL = "model";

  @Override
  public void onSplit(Target t, Rows out) {
    if (!t.clustered()) {
      // the unit is named per parameter group; its rows are the model's
      Unit u = t.unit(MODEL);
      out.addAll(t.cached(u, NAME, () -> regime(t, u.as(MODEL))));
    }
  }

  private Rows regime(Target t, Unit m) {
    ExperimentConfig config = t.point().config();
    CurvatureGraph g = t.graph();
    BatchedData batches = t.batches();
    Rows r = new Rows();
    m.summary(r, "classes", g.numClasses());
    m.summary(r, m.split() + "_loss", g.loss(batches));
    int[] labels = batches.labels();
    if (labels == null || g.loss() != Loss.CROSS_ENTROPY) {
      return r;
    }
    Margins margins = Margins.of(g.logits(batches), labels);
    m.summary(r, m.split() + "_accuracy", margins.accuracy());
    m.summary(r, "margin_q05", margins.marginQ05());
    m.summary(r, "margin_median", margins.marginMedian());
    Optional<String> features = config.model().features().or(() -> FeatureTensor.find(t.point().model()));
    if (features.isEmpty()) {
      t.point().log().accept("nc1: the model's output is not a dense layer of a feature tensor; give model.features to name one");
      return r;
    }
    t.point().log().accept("nc1 " + m.split() + ": features '" + features.get() + "'"
        + (config.model().features().isPresent() ? "" : " (found: input of the last dense layer)"));
    m.summary(r, "nc1", NeuralCollapse.nc1(g.tensorPerExample(features.get(), batches), labels, g.numClasses()));
    return r;
  }
}
