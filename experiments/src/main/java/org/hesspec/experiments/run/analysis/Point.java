package org.hesspec.experiments.run.analysis;

import java.nio.file.Path;
import java.util.function.Consumer;
import org.hesspec.data.Seeds;
import org.hesspec.experiments.config.ExperimentConfig;
import org.hesspec.experiments.run.UnitCache;
import org.hesspec.model.ModelDefinition;
import org.hesspec.model.Precision;
import org.hesspec.spectral.ProgressListener;
import org.hesspec.spectral.TopEigenConfig;

/**
 * What every analysis of one sweep point shares.
 *
 * @param config the experiment at this sweep point
 * @param model the analysed model
 * @param cache the run's finished units of work
 * @param key the point's name in unit names and seeds ({@code p0}, {@code p1}, ...)
 * @param log the run's log lines
 * @param progress progress of the long computations
 * @param spillDir where the class means may spill to disk
 */
record Point(ExperimentConfig config, ModelDefinition model, UnitCache cache, String key, Consumer<String> log,
    ProgressListener progress, Path spillDir) {

  /** The seed of {@code purpose} at this point: derived from the experiment's seed and the names alone. */
  long seed(String purpose) {
    return Seeds.derive(config.seed(), key + "/" + purpose);
  }

  Precision precision() {
    return model.precision();
  }

  /**
   * Convergence tolerance of the eigenpairs an analysis needs internally, relative to the largest
   * |eigenvalue|: 1e-8 for float64, 1e-4 for float32 (see {@link TopEigenConfig#FLOAT32_TOLERANCE}:
   * float32 products carry rounding of 1e-6 to 1e-5 relative, and residuals cannot go below it).
   */
  double tolerance() {
    return TopEigenConfig.defaultTolerance(model.precision());
  }
}
