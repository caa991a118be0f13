package org.hesspec.experiments.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A folder with everything the example experiment files name: a SavedModel folder (just a
 * saved_model.pb, enough for the on-disk checks), IDX and CIFAR data folders, NPY and CSV files.
 */
final class Fixture {

  /** The fake TensorFlow check: one serving_default signature with input x, output logits. */
  static final ModelChecker CHECKER = saved -> Map.of(
      "serving_default", new ModelChecker.Signature(List.of("x"), List.of("logits")),
      "predict_proba", new ModelChecker.Signature(List.of("x", "mask"), List.of("probs", "logits")));

  final Path dir;

  Fixture(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir.resolve("savedmodels/fmnist-mlp"));
      Files.writeString(dir.resolve("savedmodels/fmnist-mlp/saved_model.pb"), "");
      Files.createDirectories(dir.resolve("savedmodels/not-a-model"));
      Files.createDirectories(dir.resolve("datasets/fashion-mnist"));
      Files.createDirectories(dir.resolve("datasets/cifar10"));
      Files.createDirectories(dir.resolve("data"));
      for (String f : List.of("x.npy", "y.npy", "t.npy", "xt.npy", "yt.npy", "train.csv", "test.csv")) {
        Files.writeString(dir.resolve("data").resolve(f), "");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The text of test resource {@code config/<name>}. */
  static String resource(String name) {
    try (InputStream in = Fixture.class.getResourceAsStream("/config/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource config/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code text} as an experiment file in the fixture folder. */
  Path write(String fileName, String text) {
    try {
      Path file = dir.resolve(fileName);
      Files.writeString(file, text);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A minimal valid file: only the required keys. */
  static String minimal() {
    return """
        model:
          savedmodel: savedmodels/fmnist-mlp
        data:
          source: fashion-mnist
          dir: datasets/fashion-mnist
        """;
  }

  static String npy() {
    return """
        name: npy
        model:
          savedmodel: savedmodels/fmnist-mlp
        data:
          source: npy
          train: {x: data/x.npy, y: data/y.npy, per_class: 20}
          test: {x: data/xt.npy, y: data/yt.npy}
        splits: [train, test]
        """;
  }

  static String npyRegression() {
    return """
        name: npy-mse
        loss: mse
        model:
          savedmodel: savedmodels/fmnist-mlp
        data:
          source: npy
          train: {x: data/x.npy, targets: data/t.npy}
        analyses:
          trace: {}
        """;
  }

  static String csv() {
    return """
        name: csv
        model:
          savedmodel: savedmodels/fmnist-mlp
        data:
          source: csv
          train: {file: data/train.csv, label_column: digit}
          test: {file: data/test.csv}
          standardize: true
        """;
  }

  static String mixture() {
    return """
        name: gmm
        model:
          savedmodel: savedmodels/gmm-mlp
          train: {architecture: mlp, hidden: [64], epochs: 5}
        data:
          source: gaussian-mixture
          classes: 4
          dims: 20
          separation: 2.5
          train: {per_class: [10, 20, 30, 40]}
          test: {per_class: 50}
        analyses:
          exact: {max_parameters: 2000}
          class_structure:
        """;
  }
}
