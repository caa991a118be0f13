package org.hesspec.experiments.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sweep expansion: one config per point of the Cartesian product. */
class SweepTest {

  @TempDir Path tmp;

  private List<ExperimentConfig> load(String text) throws ConfigException {
    return new ExperimentLoader(Fixture.CHECKER).load(new Fixture(tmp).write("e.yaml", text));
  }

  @Test
  void twoAxesGiveTheProductFirstAxisSlowest() throws Exception {
    List<ExperimentConfig> points = load(Fixture.minimal() + """
        sweep:
          data.train.per_class: [10, 51]
          analyses.density.kernel_width: [auto, 0.05, 1e-3]
        """);
    assertEquals(6, points.size());
    assertEquals(List.of(
        "data.train.per_class=10;analyses.density.kernel_width=auto",
        "data.train.per_class=10;analyses.density.kernel_width=0.05",
        "data.train.per_class=10;analyses.density.kernel_width=0.001",
        "data.train.per_class=51;analyses.density.kernel_width=auto",
        "data.train.per_class=51;analyses.density.kernel_width=0.05",
        "data.train.per_class=51;analyses.density.kernel_width=0.001"),
        points.stream().map(ExperimentConfig::sweepValue).toList());
    ExperimentConfig last = points.get(5);
    assertEquals(new SplitSpec.PerClass.Uniform(51), last.data().train().perClass());
    assertEquals(0.001, last.analyses().density().orElseThrow().kernelWidth().getAsDouble());
    // Every point carries the same declaration.
    assertEquals(points.get(0).sweep(), last.sweep());
    assertEquals(6, last.sweep().points());
  }

  @Test
  void sweepCanSetAKeyTheFileLeavesOut() throws Exception {
    List<ExperimentConfig> points = load(Fixture.minimal() + """
        sweep:
          seed: [1, 2, 3]
          model.parameters: [{include: ["dense/.*"]}, {include: ["dense_1/.*"]}]
        """);
    assertEquals(6, points.size());
    assertEquals(3, points.get(5).seed());
    assertEquals(List.of("dense_1/.*"), points.get(5).model().parameters().get(0).include());
    assertEquals("seed=1;model.parameters={include: [dense/.*]}", points.get(0).sweepValue());
  }

  @Test
  void sweepOverUnknownKeyIsReportedAtTheSweepLine() {
    Path file = new Fixture(tmp).write("e.yaml", Fixture.minimal() + """
        sweep:
          data.train.per_clas: [10, 51]
        """);
    ConfigException e = Errs.load(file, List.of());
    ConfigError err = Errs.at(e, "data.train.per_clas");
    assertEquals(7, err.line());
    Errs.contains(err.message(), "did you mean 'per_class'?");
    Errs.contains(err.message(), "(from sweep)");
    assertEquals(1, e.errors().size(), e.getMessage());
  }

  @Test
  void invalidSweepValueNamesItsPoint() {
    Path file = new Fixture(tmp).write("e.yaml", Fixture.minimal() + """
        sweep:
          data.train.per_class: [10, -1, 51]
        """);
    ConfigException e = Errs.load(file, List.of());
    ConfigError err = Errs.at(e, "data.train.per_class");
    assertEquals(7, err.line());
    Errs.contains(err.message(), "must be at least 1, found -1 [sweep point -1]");
    assertEquals(1, e.errors().size(), e.getMessage());
  }
}
