package org.hesspec.experiments.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hook through which the runner adds TensorFlow checks. */
class ModelCheckerTest {

  @TempDir Path tmp;

  @Test
  void askedOncePerSavedModelEvenAcrossSweepPoints() throws Exception {
    List<Path> asked = new ArrayList<>();
    ModelChecker counting = saved -> {
      asked.add(saved);
      return Map.of("serving_default", new ModelChecker.Signature(List.of("images"), List.of("scores")));
    };
    Path file = new Fixture(tmp).write("e.yaml", Fixture.minimal() + "sweep: {seed: [1, 2, 3]}\n");
    List<ExperimentConfig> points = new ExperimentLoader(counting).load(file);
    assertEquals(3, points.size());
    assertEquals(List.of(tmp.resolve("savedmodels/fmnist-mlp").toAbsolutePath().normalize()), asked);
    assertEquals(Optional.of("images"), points.get(2).model().input());
    assertEquals(Optional.of("scores"), points.get(2).model().output());
  }

  @Test
  void notAskedWhenTheModelIsStillToBeTrained() throws Exception {
    ModelChecker failing = saved -> {
      throw new AssertionError("must not be called for " + saved);
    };
    Path file = new Fixture(tmp).write("gmm.yaml", Fixture.mixture());
    assertEquals(1, new ExperimentLoader(failing).load(file).size());
  }

  @Test
  void loadFailureIsReportedAtSavedModel() {
    ModelChecker broken = saved -> {
      throw new IllegalStateException("op 'Foo' is not registered");
    };
    Path file = new Fixture(tmp).write("e.yaml", Fixture.minimal());
    ConfigException e = assertThrows(ConfigException.class, () -> new ExperimentLoader(broken).load(file));
    assertEquals(1, e.errors().size());
    ConfigError err = e.errors().get(0);
    assertEquals("model.savedmodel", err.keyPath());
    assertEquals(2, err.line());
    Errs.contains(err.message(), "cannot load the SavedModel");
    Errs.contains(err.message(), "op 'Foo' is not registered");
    // One error reads as one line, file:line: key: message.
    assertEquals(err.toString(), e.getMessage());
  }

  @Test
  void signatureWithoutInputsIsReported() {
    ModelChecker empty = saved -> Map.of("serving_default", new ModelChecker.Signature(List.of(), List.of("y")));
    Path file = new Fixture(tmp).write("e.yaml", Fixture.minimal());
    ConfigException e = assertThrows(ConfigException.class, () -> new ExperimentLoader(empty).load(file));
    Errs.contains(Errs.at(e, "model.input").message(), "has 0 inputs");
  }
}
