package org.hesspec.experiments.run.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hesspec.experiments.config.ExperimentConfig;
import org.hesspec.experiments.config.ExperimentLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The analyses a run runs are those the experiment declares, in the order their rows appear in the tables. */
class DeclaredAnalysesTest {

  private static List<Class<?>> declared(Path dir, String... sets) throws Exception {
    Path file = dir.resolve("tiny.yaml");
    try (InputStream in = DeclaredAnalysesTest.class.getResourceAsStream("/run/tiny.yaml")) {
      Files.write(file, in.readAllBytes());
    }
    ExperimentConfig c = new ExperimentLoader().load(file, List.of(sets)).get(0);
    return PointAnalysis.declared(c).stream().<Class<?>>map(Object::getClass).toList();
  }

  @Test
  void everyDeclaredAnalysisInTheTablesOrder(@TempDir Path dir) throws Exception {
    assertEquals(List.of(DensityAnalysis.class, TopEigenAnalysis.class, TraceAnalysis.class, ExactAnalysis.class,
        RegimeAnalysis.class, ClassStructureAnalysis.class, DeflatedHessianAnalysis.class), declared(dir));
  }

  @Test
  void theDeflatedHessianNeedsTheHessianAndTheDensity(@TempDir Path dir) throws Exception {
    assertEquals(List.of(DensityAnalysis.class, TopEigenAnalysis.class, TraceAnalysis.class, ExactAnalysis.class,
        RegimeAnalysis.class, ClassStructureAnalysis.class), declared(dir, "operators=[G, H]"));
    assertEquals(List.of(RegimeAnalysis.class, ClassStructureAnalysis.class),
        declared(dir, "analyses={class_structure: {}}"));
  }

  @Test
  void onlyTheRegimeRunsUndeclared(@TempDir Path dir) throws Exception {
    assertEquals(List.of(TraceAnalysis.class, RegimeAnalysis.class), declared(dir, "analyses={trace: {samples: 6}}"));
  }
}
