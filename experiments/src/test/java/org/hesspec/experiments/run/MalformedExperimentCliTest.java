package org.hesspec.experiments.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hesspec.report.RunDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed experiment files generated from the valid tiny experiment, each run through the
 * command line: exit status 2, a message naming the key (or the line, for YAML syntax), no stack
 * trace, and no result folder that could be mistaken for a complete run.
 */
class MalformedExperimentCliTest {

  /** One mutation: the file's text, and what the message must name. */
  record Case(String name, String yaml, String mustName) {}

  static String base() {
    try (InputStream in = MalformedExperimentCliTest.class.getResourceAsStream("/run/tiny.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static String replace(String yaml, String from, String to) {
    if (!yaml.contains(from)) {
      throw new IllegalArgumentException("mutation source not found: " + from);
    }
    return yaml.replace(from, to);
  }

  static List<Case> cases() {
    String b = base();
    List<Case> c = new ArrayList<>();
    // Bad types and values of scalars, each named by its key path.
    String[][] values = {
        {"seed: 11", "seed", "abc", "-1", "[1, 2]", "1.5"},
        {"precision: float32", "precision", "float16", "3"},
        {"name: tiny", "name", "''", "[a, b]"},
        {"    architecture: mlp", "model.train.architecture", "transformer", "3"},
        {"    hidden: [16, 16]", "model.train.hidden", "[]", "[-1, 16]", "abc", "[0]"},
        {"    activation: relu", "model.train.activation", "gelu"},
        {"    learning_rate: 0.05", "model.train.learning_rate", "-0.1", "0", "fast"},
        {"    epochs: 30", "model.train.epochs", "0", "-5", "many"},
        {"    batch_size: 20", "model.train.batch_size", "0"},
        {"    schedule: cosine", "model.train.schedule", "exponential"},
        {"  source: gaussian-mixture", "data.source", "imagenet"},
        {"  classes: 4", "data.classes", "1", "-2", "x"},
        {"  dims: 20", "data.dims", "0"},
        {"  separation: 4.0", "data.separation", "-1"},
        // (data.train.per_class is swept in the base file, so the test split carries these mutations)
        {"  test: {per_class: 20}", "data.test.per_class", "{per_class: 0}", "{per_class: -3}", "{per_class: many}"},
        {"loss: cross_entropy", "loss", "hinge"},
        {"batch_size: 50", "batch_size", "0", "-10", "1.5"},
        {"operators: [hessian, G, H]", "operators", "[]", "[hessian, hessian]", "[hess]"},
        {"splits: [train, test]", "splits", "[]", "[validation]"},
        {"  density: {iterations: 40, runs: 3, grid: 256, scales: [linear, log]}", "analyses.density",
            "{iterations: 0, runs: 3}", "{iterations: 40, runs: 0}", "{iterations: 40, grid: 1}",
            "{iterations: 40, kernel_width: -0.1}", "{iterations: 40, scales: []}", "{iterations: 40, scales: [cubic]}"},
        {"  top_eigen: {k: 8}", "analyses.top_eigen.k", "{k: 0}", "{k: -1}"},
        {"  trace: {method: hutchpp, samples: 12}", "analyses.trace", "{method: exact, samples: 12}", "{method: hutchpp, samples: 0}"},
        {"  exact: {max_parameters: 1000}", "analyses.exact.max_parameters", "{max_parameters: -1}"},
        {"  data.train.per_class: [20, 30]", "sweep", "  data.train.per_klass: [20, 30]", "  data.train.per_class: []"},
    };
    for (String[] v : values) {
      String line = v[0];
      String key = line.substring(0, line.indexOf(':') + 1);
      for (int i = 2; i < v.length; i++) {
        String replacement = v[i].startsWith("  data.") ? v[i] : key + " " + v[i];
        c.add(new Case(v[1] + "=" + v[i], replace(b, line, replacement), v[1]));
      }
    }
    // Unknown and misspelt keys at every level: named with their path.
    c.add(new Case("unknown-top", b + "colour: blue\n", "colour"));
    c.add(new Case("misspelt-top", replace(b, "loss: cross_entropy", "los: cross_entropy"), "los"));
    c.add(new Case("unknown-model", replace(b, "  savedmodel: models/tiny-mlp", "  savedmodel: models/tiny-mlp\n  format: onnx"), "model.format"));
    c.add(new Case("unknown-train", replace(b, "    epochs: 30", "    epochs: 30\n    dropout: 0.5"), "model.train.dropout"));
    c.add(new Case("unknown-data", replace(b, "  dims: 20", "  dims: 20\n  noise: 2"), "data.noise"));
    c.add(new Case("misspelt-density", replace(b, "iterations: 40, runs: 3", "iteratons: 40, runs: 3"), "analyses.density.iteratons"));
    c.add(new Case("unknown-analysis", replace(b, "  class_structure: {}", "  class_structure: {}\n  fisher: {}"), "analyses.fisher"));
    // Structure of the file.
    c.add(new Case("empty-file", "", "empty"));
    c.add(new Case("top-level-list", "- model\n- data\n", "mapping"));
    c.add(new Case("syntax-error", replace(b, "operators: [hessian, G, H]", "operators: [hessian, G, H"), "exp.yaml:25: YAML syntax error"));
    c.add(new Case("missing-model", replace(b, "model:\n", "modell:\n"), "model"));
    c.add(new Case("missing-data-source", replace(b, "  source: gaussian-mixture\n", ""), "data.source"));
    // A SavedModel that does not exist and no training section.
    c.add(new Case("no-model-no-train", b.substring(0, b.indexOf("  train:\n")) + b.substring(b.indexOf("data:")), "model.savedmodel"));
    // Data files that do not exist.
    c.add(new Case("npy-missing", replace(replace(b, "  source: gaussian-mixture\n  classes: 4\n  dims: 20\n  separation: 4.0\n", "  source: npy\n"),
        "  train: {per_class: 30}\n  test: {per_class: 20}", "  train: {x: nope/x.npy, y: nope/y.npy}"), "data.train.x"));
    return c;
  }

  /** Cases against a real SavedModel (trained here by `hesspec train`): wrong signature, input, output. */
  static List<Case> modelCases(Path modelDir) {
    String b = base();
    String withModel = b.substring(0, b.indexOf("  train:\n")).replace("models/tiny-mlp", modelDir.toString())
        + b.substring(b.indexOf("data:"));
    List<Case> c = new ArrayList<>();
    c.add(new Case("wrong-signature", replace(withModel, "  savedmodel: " + modelDir, "  savedmodel: " + modelDir + "\n  signature: predict"),
        "model.signature"));
    c.add(new Case("wrong-input", replace(withModel, "  savedmodel: " + modelDir, "  savedmodel: " + modelDir + "\n  input: images"),
        "model.input"));
    c.add(new Case("wrong-output", replace(withModel, "  savedmodel: " + modelDir, "  savedmodel: " + modelDir + "\n  output: probs"),
        "model.output"));
    c.add(new Case("not-a-savedmodel", withModel.replace(modelDir.toString(), modelDir.getParent().toString()), "model.savedmodel"));
    return c;
  }

  @Test
  void everyMalformedFileIsAnInputErrorNamingItsKey(@TempDir Path tmp) throws IOException {
    Path exp = RunFixtures.tinyExperiment(tmp.resolve("model"));
    RunFixtures.Outcome trained = RunFixtures.cli("train", exp.toString(), "--set", "sweep.data.train.per_class=[30]");
    assertEquals(0, trained.status(), trained.stderr());
    Path modelDir = Path.of(trained.stdout().strip().lines().reduce((a, b) -> b).orElseThrow());
    List<Case> cases = new ArrayList<>(cases());
    cases.addAll(modelCases(modelDir));
    assertTrue(cases.size() >= 50, "only " + cases.size() + " cases");
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      Case k = cases.get(i);
      Path dir = tmp.resolve("case" + i);
      Files.createDirectories(dir);
      Path file = dir.resolve("exp.yaml");
      Files.writeString(file, k.yaml());
      Path out = dir.resolve("out");
      RunFixtures.Outcome o = RunFixtures.cli("run", file.toString(), "--out", out.toString());
      String why = null;
      if (o.status() != 2) {
        why = "exit " + o.status();
      } else if (!o.stderr().contains(k.mustName())) {
        why = "message does not name '" + k.mustName() + "'";
      } else if (o.stderr().contains("\tat ") || o.stderr().contains("Exception")) {
        why = "stack trace or exception name in the message";
      } else if (RunFixtures.runFolders(out).stream().anyMatch(RunDirectory::isCompleteRun) || Files.exists(out)) {
        why = "a result folder was written";
      }
      if (why != null) {
        failures.add(k.name() + ": " + why + "\n" + o.stderr());
      }
    }
    assertEquals(List.of(), failures);
  }

  @Test
  void resumingSomethingThatIsNotAnIncompleteRunIsAnInputError(@TempDir Path tmp) throws IOException {
    Path exp = RunFixtures.tinyExperiment(tmp.resolve("exp"));
    RunFixtures.Outcome o = RunFixtures.cli("run", exp.toString(), "--resume", tmp.resolve("no-such-run").toString());
    assertEquals(2, o.status(), o.stderr());
    assertTrue(o.stderr().contains("no-such-run") && !o.stderr().contains("\tat "), o.stderr());
  }
}
