package org.hesspec.experiments.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.hesspec.model.zoo.ReferenceArchitecture;
import org.hesspec.curvature.CurvatureOperator;
import org.hesspec.experiments.config.SplitSpec.PerClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --set key.path=value}. */
class OverridesTest {

  @TempDir Path tmp;

  private ExperimentConfig load(String text, String... sets) throws ConfigException {
    Path file = new Fixture(tmp).write("e.yaml", text);
    List<ExperimentConfig> configs = new ExperimentLoader(Fixture.CHECKER).load(file, List.of(sets));
    assertEquals(1, configs.size());
    return configs.get(0);
  }

  @Test
  void setsScalarsListsAndMappings() throws Exception {
    ExperimentConfig c = load(Fixture.minimal(),
        "analyses.density.runs=3",
        "data.train.per_class=60",
        "operators=[G, H]",
        "seed=42",
        "model.train={architecture: lenet}",
        "analyses.top_eigen.k=5");
    // Setting density.runs creates analyses, so density is the only default left of it.
    assertEquals(3, c.analyses().density().orElseThrow().runs());
    assertEquals(128, c.analyses().density().orElseThrow().iterations());
    assertEquals(new PerClass.Uniform(60), c.data().train().perClass());
    assertEquals(List.of(CurvatureOperator.GAUSS_NEWTON, CurvatureOperator.RESIDUAL_HESSIAN), c.operators());
    assertEquals(42, c.seed());
    assertEquals(ReferenceArchitecture.LENET, c.model().train().orElseThrow().architecture());
    assertEquals(5, c.analyses().topEigen().orElseThrow().k());
  }

  @Test
  void listValueGivesPerClassCounts() throws Exception {
    ExperimentConfig c = load(Fixture.mixture(), "data.classes=2", "data.train.per_class=[10,51]");
    assertEquals(new PerClass.Counts(List.of(10, 51)), c.data().train().perClass());
  }

  @Test
  void laterOverrideWinsAndReplacesFileValue() throws Exception {
    ExperimentConfig c = load(Fixture.minimal() + "seed: 1\n", "seed=2", "seed=3");
    assertEquals(3, c.seed());
  }

  @Test
  void quotedValueIsAString() throws Exception {
    ExperimentConfig c = load(Fixture.minimal(), "name='007'", "model.signature=predict_proba",
        "model.input=mask", "model.output=probs");
    assertEquals("007", c.name());
    assertEquals(Optional.of("mask"), c.model().input());
  }

  @Test
  void setsSweepKeysWithDots() throws Exception {
    Path file = new Fixture(tmp).write("e.yaml", Fixture.minimal());
    List<ExperimentConfig> configs = new ExperimentLoader(Fixture.CHECKER)
        .load(file, List.of("sweep.data.train.per_class=[5, 6]"));
    assertEquals(List.of("5", "6"), configs.stream().map(ExperimentConfig::sweepValue).toList());
  }

  @Test
  void unknownPathIsAnErrorWithSuggestion() {
    Path file = new Fixture(tmp).write("e.yaml", Fixture.minimal());
    ConfigException e = Errs.load(file, List.of("analyses.density.runz=3"));
    ConfigError err = Errs.at(e, "analyses.density.runz");
    assertEquals(0, err.line());
    Errs.contains(err.message(), "did you mean 'runs'?");
    Errs.contains(err.message(), "--set analyses.density.runz=3");
  }

  @Test
  void badValueNamesTheOverride() {
    Path file = new Fixture(tmp).write("e.yaml", Fixture.minimal());
    ConfigException e = Errs.load(file, List.of("batch_size=-1"));
    Errs.contains(Errs.at(e, "batch_size").message(), "must be at least 1, found -1 (from --set batch_size=-1)");
  }

  @Test
  void malformedAssignmentsAreErrors() {
    Path file = new Fixture(tmp).write("e.yaml", Fixture.minimal());
    ConfigException e = Errs.load(file, List.of("seed", "a..b=1", "model.savedmodel.x=1", "seed=[1,"));
    Errs.contains(Errs.at(e, "").message(), "expected key.path=value");
    Errs.contains(Errs.at(e, "a..b").message(), "not a key path");
    Errs.contains(Errs.at(e, "model.savedmodel.x").message(), "model.savedmodel is the string");
    Errs.contains(Errs.at(e, "seed").message(), "cannot parse the value '[1,'");
    assertEquals(4, e.errors().size(), e.getMessage());
  }
}
