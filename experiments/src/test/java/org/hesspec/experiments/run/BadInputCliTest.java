package org.hesspec.experiments.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.hesspec.report.RunDirectory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad data files, bad models and bad command lines, each tried through the command line as a user
 * would: exit status 2, a message of its own naming the file, key or tensor, no stack trace, and
 * no run folder. Data and model cases go through both {@code validate} and {@code run} (the
 * checks of the data against the model happen before the run folder exists). Fixtures are tiny:
 * one MLP trained once (20 inputs, 4 classes, p = 676) and 40-example NPY files, all in one JVM.
 */
class BadInputCliTest {

  @TempDir static Path tmp;
  static Path model;
  static Path data;

  /** One bad input: the experiment file (null for command-line cases), the arguments, and what the message must name. */
  record Case(String name, String yaml, List<String> args, List<String> mustName) {}

  @BeforeAll
  static void fixtures() throws IOException {
    Path exp = RunFixtures.tinyExperiment(tmp.resolve("model"));
    RunFixtures.Outcome trained = RunFixtures.cli("train", exp.toString(), "--set", "sweep.data.train.per_class=[30]",
        "--set", "model.train.epochs=3");
    assertEquals(0, trained.status(), trained.stderr());
    model = Path.of(trained.stdout().strip().lines().reduce((a, b) -> b).orElseThrow());
    data = tmp.resolve("data");
    Random rnd = new Random(5);
    float[] x = new float[40 * 20];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rnd.nextGaussian();
    }
    long[] y = new long[40];
    for (int i = 0; i < y.length; i++) {
      y[i] = i % 4;
    }
    Npy.float32(data.resolve("x.npy"), new int[] {40, 20}, x);
    Npy.int64(data.resolve("y.npy"), new int[] {40}, y);
    float[] nan = x.clone();
    nan[3 * 20 + 5] = Float.NaN;
    Npy.float32(data.resolve("x_nan.npy"), new int[] {40, 20}, nan);
    float[] inf = x.clone();
    inf[12 * 20 + 0] = Float.NEGATIVE_INFINITY;
    Npy.float32(data.resolve("x_inf.npy"), new int[] {40, 20}, inf);
    double[] over = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      over[i] = x[i];
    }
    over[7 * 20 + 2] = 1e300;
    Npy.float64(data.resolve("x_over.npy"), new int[] {40, 20}, over);
    Npy.float32(data.resolve("x_wide.npy"), new int[] {40, 21}, new float[40 * 21]);
    Npy.float32(data.resolve("x_3d.npy"), new int[] {40, 4, 5}, x);
    Npy.float32(data.resolve("x_flat.npy"), new int[] {40}, new float[40]);
    Npy.int32(data.resolve("x_int.npy"), new int[] {40, 20}, new int[40 * 20]);
    long[] big = y.clone();
    big[10] = 9;
    Npy.int64(data.resolve("y_big.npy"), new int[] {40}, big);
    long[] neg = y.clone();
    neg[6] = -1;
    Npy.int64(data.resolve("y_neg.npy"), new int[] {40}, neg);
    Npy.int64(data.resolve("y_short.npy"), new int[] {39}, java.util.Arrays.copyOf(y, 39));
    Npy.float32(data.resolve("y_float.npy"), new int[] {40}, new float[40]);
    float[] t = new float[40 * 4];
    Npy.float32(data.resolve("t.npy"), new int[] {40, 4}, t);
    float[] tNan = t.clone();
    tNan[2 * 4 + 1] = Float.NaN;
    Npy.float32(data.resolve("t_nan.npy"), new int[] {40, 4}, tNan);
    Npy.float32(data.resolve("t_narrow.npy"), new int[] {40, 3}, new float[40 * 3]);
    Files.writeString(data.resolve("text.npy"), "x,y\n1,2\n");
    byte[] whole = Files.readAllBytes(data.resolve("x.npy"));
    Files.write(data.resolve("x_truncated.npy"), java.util.Arrays.copyOf(whole, whole.length - 100));
    StringBuilder csv = new StringBuilder();
    StringBuilder csvNan = new StringBuilder();
    StringBuilder csvLabel = new StringBuilder();
    StringBuilder header = new StringBuilder("label");
    for (int j = 0; j < 20; j++) {
      header.append(",f").append(j);
    }
    for (StringBuilder b : List.of(csv, csvNan, csvLabel)) {
      b.append(header).append('\n');
    }
    for (int i = 0; i < 40; i++) {
      StringBuilder row = new StringBuilder();
      for (int j = 0; j < 20; j++) {
        row.append(',').append(x[i * 20 + j]);
      }
      csv.append(y[i]).append(row).append('\n');
      csvNan.append(y[i]).append(i == 3 ? row.toString().replaceFirst(",[^,]+", ",NaN") : row).append('\n');
      csvLabel.append(i == 5 ? 7 : y[i]).append(row).append('\n');
    }
    Files.writeString(data.resolve("ok.csv"), csv);
    Files.writeString(data.resolve("nan.csv"), csvNan);
    Files.writeString(data.resolve("label.csv"), csvLabel);
    Files.writeString(data.resolve("narrow.csv"), "label,f0,f1\n0,1,2\n1,3,4\n2,5,6\n3,7,8\n");
    float[] huge = new float[40 * 20];
    java.util.Arrays.fill(huge, 3e38f); // finite, but the first layer's sums overflow float32
    Npy.float32(data.resolve("x_huge.npy"), new int[] {40, 20}, huge);
    Files.createDirectories(tmp.resolve("garbage-model"));
    Files.writeString(tmp.resolve("garbage-model/saved_model.pb"), "this is not a protocol buffer");
  }

  /** A valid experiment on the trained model and the NPY fixtures; each case changes one thing. */
  static String base() {
    return """
        name: bad
        seed: 3
        model:
          savedmodel: MODEL
        data:
          source: npy
          train: {x: DATA/x.npy, y: DATA/y.npy}
        operators: [hessian]
        analyses:
          density: {iterations: 10, runs: 1, grid: 32}
          top_eigen: {k: 4}
        """.replace("MODEL", model.toString()).replace("DATA", data.toString());
  }

  static String edit(String yaml, String from, String to) {
    if (!yaml.contains(from)) {
      throw new IllegalArgumentException("not in the base file: " + from);
    }
    return yaml.replace(from, to);
  }

  static Case file(String name, String yaml, String... mustName) {
    return new Case(name, yaml, List.of(), List.of(mustName));
  }

  /** Data and model cases: the experiment file differs from {@link #base()} in one place. */
  static List<Case> fileCases() {
    String b = base();
    String d = data.toString();
    String trainLine = "train: {x: " + d + "/x.npy, y: " + d + "/y.npy}";
    List<Case> c = new ArrayList<>();
    // Data files: values, shapes, labels, formats.
    c.add(file("nan-in-x", edit(b, "/x.npy,", "/x_nan.npy,"), "x_nan.npy", "row 3, column 5", "NaN"));
    c.add(file("infinity-in-x", edit(b, "/x.npy,", "/x_inf.npy,"), "x_inf.npy", "row 12, column 0", "Infinity"));
    c.add(file("float64-x-overflowing-float32", edit(b, "/x.npy,", "/x_over.npy,"), "x_over.npy", "row 7, column 2",
        "overflows float32"));
    c.add(file("x-of-the-wrong-width", edit(b, "/x.npy,", "/x_wide.npy,"), "data.train", "x_wide.npy", "[21]", "[20]"));
    c.add(file("x-with-the-wrong-number-of-dimensions", edit(b, "/x.npy,", "/x_3d.npy,"), "x_3d.npy", "[4, 5]",
        "2 dimensions against 1"));
    c.add(file("x-with-one-value-per-example", edit(b, "/x.npy,", "/x_flat.npy,"), "x_flat.npy", "[1]", "[20]"));
    c.add(file("x-of-integer-dtype", edit(b, "/x.npy,", "/x_int.npy,"), "x_int.npy", "unsupported dtype"));
    c.add(file("x-not-an-npy-file", edit(b, "/x.npy,", "/text.npy,"), "text.npy"));
    c.add(file("x-truncated", edit(b, "/x.npy,", "/x_truncated.npy,"), "x_truncated.npy"));
    c.add(file("label-beyond-the-model-classes", edit(b, "/y.npy}", "/y_big.npy}"), "data.train", "y_big.npy", "row 10",
        "label 9", "[0, 4)"));
    c.add(file("negative-label", edit(b, "/y.npy}", "/y_neg.npy}"), "y_neg.npy", "-1", "example 6"));
    c.add(file("fewer-labels-than-examples", edit(b, "/y.npy}", "/y_short.npy}"), "y_short.npy", "39", "40"));
    c.add(file("float-labels", edit(b, "/y.npy}", "/y_float.npy}"), "y_float.npy"));
    c.add(file("label-beyond-the-model-classes-in-the-test-split",
        edit(b, trainLine, trainLine + "\n  test: {x: " + d + "/x.npy, y: " + d + "/y_big.npy}"), "data.test", "y_big.npy",
        "[0, 4)"));
    c.add(file("more-per-class-than-a-class-has", edit(b, "/y.npy}", "/y.npy, per_class: 50}"), "50"));
    c.add(file("per-class-counts-for-the-wrong-number-of-classes", edit(b, "/y.npy}", "/y.npy, per_class: [5, 5]}"),
        "per_class", "2 counts", "4 classes"));
    String mse = edit(edit(b, "y: " + d + "/y.npy}", "targets: " + d + "/t.npy}"), "seed: 3", "seed: 3\nloss: mse");
    c.add(file("nan-in-the-targets", edit(mse, "/t.npy}", "/t_nan.npy}"), "t_nan.npy", "targets", "row 2, column 1"));
    c.add(file("targets-narrower-than-the-output", edit(mse, "/t.npy}", "/t_narrow.npy}"), "t_narrow.npy", "width 3",
        "width 4"));
    String csv = edit(b, trainLine, "train: {file: " + d + "/ok.csv}").replace("source: npy", "source: csv");
    c.add(file("nan-in-a-csv-cell", edit(csv, "/ok.csv", "/nan.csv"), "nan.csv", "data row 4", "f0"));
    c.add(file("csv-label-beyond-the-model-classes", edit(csv, "/ok.csv", "/label.csv"), "label.csv", "data row 6",
        "label 7"));
    c.add(file("csv-of-the-wrong-width", edit(csv, "/ok.csv", "/narrow.csv"), "narrow.csv", "[2]", "[20]"));
    c.add(file("csv-without-the-label-column", edit(csv, "/ok.csv}", "/ok.csv, label_column: digit}"), "ok.csv", "digit"));
    // Models: parameter patterns and sizes against p.
    c.add(file("parameter-pattern-matching-nothing", edit(b, "savedmodel: " + model, "savedmodel: " + model
        + "\n  parameters: {include: [\"conv_.*\"]}"), "model.parameters", "conv_.*", "dense_0/kernel"));
    c.add(file("one-group-of-several-matching-nothing", edit(b, "savedmodel: " + model, "savedmodel: " + model
        + "\n  parameters:\n    - {name: first, include: [\"dense_0/.*\"]}\n    - {name: head, include: [\"output/.*\"]}"),
        "model.parameters", "group 'head'", "output/.*"));
    c.add(file("top-eigen-k-larger-than-p", edit(b, "top_eigen: {k: 4}", "top_eigen: {k: 1000}"), "analyses.top_eigen.k",
        "1000", "p = 676"));
    c.add(file("density-iterations-beyond-p", edit(b, "iterations: 10,", "iterations: 700,"), "analyses.density.iterations",
        "700", "p = 676"));
    c.add(file("top-eigen-iterations-beyond-p", edit(b, "top_eigen: {k: 4}", "top_eigen: {k: 4, iterations: 800}"),
        "analyses.top_eigen.iterations", "800", "p = 676"));
    c.add(file("top-eigen-k-larger-than-the-selected-group", edit(edit(b, "savedmodel: " + model, "savedmodel: " + model
        + "\n  parameters: {include: [\"dense_2/bias\"]}"), "top_eigen: {k: 4}", "top_eigen: {k: 8}"),
        "analyses.top_eigen.k", "p = 4"));
    c.add(file("top-eigen-k-larger-than-p-at-one-sweep-point", b + "sweep:\n  analyses.top_eigen.k: [4, 1000]\n",
        "analyses.top_eigen.k: 1000", "[sweep point 1000]"));
    c.add(file("savedmodel-that-tensorflow-cannot-read", edit(b, "savedmodel: " + model, "savedmodel: " + tmp.resolve("garbage-model")),
        "model.savedmodel", "garbage-model"));
    // A model the run would train: checked through its architecture before any training.
    String toTrain = """
        name: bad-train
        model:
          savedmodel: MODELS/never-trained
          PARAMS
          train: {architecture: ARCH, hidden: [2], epochs: 1}
        data:
          source: gaussian-mixture
          classes: 4
          dims: 20
          train: {per_class: 5}
        operators: [hessian]
        analyses:
          density: {iterations: 10, runs: 1, grid: 32}
          top_eigen: {k: K}
        """.replace("MODELS", tmp.resolve("models").toString());
    c.add(file("pattern-matching-nothing-in-a-model-to-train", toTrain.replace("PARAMS", "parameters: {include: [\"conv_.*\"]}")
        .replace("ARCH", "mlp").replace("K", "4"), "model.parameters", "conv_.*", "dense_0/kernel"));
    c.add(file("top-eigen-k-larger-than-p-of-a-model-to-train", toTrain.replace("PARAMS", "signature: serving_default")
        .replace("ARCH", "mlp").replace("K", "60"), "analyses.top_eigen.k", "p = 54"));
    c.add(file("image-network-for-vector-data", toTrain.replace("PARAMS", "signature: serving_default")
        .replace("ARCH", "lenet").replace("      hidden: [2], ", "").replace("hidden: [2], ", "").replace("K", "4"),
        "model.train.architecture", "lenet"));
    return c;
  }

  /** Command lines: each is an input error of its own. */
  static List<Case> commandLineCases() throws IOException {
    Path ok = tmp.resolve("cli").resolve("ok.yaml");
    Files.createDirectories(ok.getParent());
    Files.writeString(ok, base());
    String f = ok.toString();
    Path aFile = tmp.resolve("cli").resolve("a-file");
    Files.writeString(aFile, "");
    List<Case> c = new ArrayList<>();
    c.add(new Case("unknown-command", null, List.of("frobnicate"), List.of("frobnicate")));
    c.add(new Case("unknown-option", null, List.of("run", f, "--frobnicate"), List.of("--frobnicate")));
    c.add(new Case("run-without-an-experiment-file", null, List.of("run"), List.of("EXPERIMENT.yaml")));
    c.add(new Case("experiment-file-that-does-not-exist", null, List.of("validate", tmp.resolve("nope.yaml").toString()),
        List.of("nope.yaml")));
    c.add(new Case("experiment-file-that-is-a-folder", null, List.of("validate", tmp.toString()), List.of(tmp.toString())));
    c.add(new Case("set-without-an-equals-sign", null, List.of("validate", f, "--set", "seed"), List.of("seed")));
    c.add(new Case("set-of-an-unknown-key", null, List.of("validate", f, "--set", "analyses.density.iteratons=3"),
        List.of("iteratons")));
    c.add(new Case("set-of-a-bad-value", null, List.of("validate", f, "--set", "seed=abc"), List.of("seed")));
    c.add(new Case("out-that-is-a-file", null, List.of("run", f, "--out", aFile.toString()), List.of("a-file")));
    c.add(new Case("resume-of-a-folder-that-is-not-a-run", null, List.of("run", f, "--resume", tmp.resolve("cli").toString()),
        List.of("cli")));
    c.add(new Case("inspect-of-a-folder-without-a-model", null, List.of("inspect", tmp.resolve("cli").toString()),
        List.of("cli")));
    c.add(new Case("train-without-a-train-section", null, List.of("train", f), List.of("model.train")));
    c.add(new Case("worker-with-a-bad-port", null, List.of("worker", "--port", "99999"), List.of("99999")));
    c.add(new Case("bench-of-an-unknown-workload", null, List.of("bench", "resnet-1000"), List.of("resnet-1000")));
    return c;
  }

  @Test
  void theBaseExperimentIsValid() throws IOException {
    Path f = write("base", base());
    RunFixtures.Outcome o = RunFixtures.cli("validate", f.toString());
    assertEquals(0, o.status(), o.stderr());
  }

  @Test
  void enoughCases() throws IOException {
    // Together with MalformedExperimentCliTest, MalformedFilesTest and the config-level cases.
    assertTrue(fileCases().size() + commandLineCases().size() >= 40, "cases: " + (fileCases().size() + commandLineCases().size()));
  }

  @TestFactory
  Stream<DynamicTest> badDataAndModels() {
    return fileCases().stream().map(k -> DynamicTest.dynamicTest(k.name(), () -> {
      Path f = write(k.name(), k.yaml());
      Path out = f.resolveSibling("out");
      check(k, RunFixtures.cli("validate", f.toString()), out);
      check(k, RunFixtures.cli("run", f.toString(), "--out", out.toString()), out);
    }));
  }

  @TestFactory
  Stream<DynamicTest> badCommandLines() throws IOException {
    return commandLineCases().stream().map(k -> DynamicTest.dynamicTest(k.name(), () -> {
      Path out = tmp.resolve("cli-out-" + k.name());
      List<String> args = new ArrayList<>(k.args());
      check(k, RunFixtures.cli(args.toArray(String[]::new)), out);
    }));
  }

  /**
   * A failure during a run (finite data whose forward pass overflows float32, so every product is
   * NaN): exit status 1, one paragraph naming the operator, what is finite and where the partial
   * run is, no --resume offered (it would fail the same way), no stack trace on stderr but one in
   * the run's error.log; with --debug the stack trace is printed too.
   */
  @Test
  void aProductThatOverflowsFailsTheRunInOneParagraph() throws IOException {
    Path f = write("overflowing-forward-pass", edit(base(), "/x.npy,", "/x_huge.npy,"));
    Path out = f.resolveSibling("out");
    RunFixtures.Outcome o = RunFixtures.cli("run", f.toString(), "--out", out.toString());
    assertEquals(1, o.status(), o.stderr());
    String err = o.stderr();
    List<Path> runs = RunFixtures.runFolders(out);
    assertEquals(1, runs.size(), err);
    Path partial = runs.get(0);
    assertTrue(!RunDirectory.isCompleteRun(partial) && partial.getFileName().toString().endsWith(".partial"), partial.toString());
    assertEquals(org.hesspec.report.RunStatus.FAILED, RunDirectory.statusOf(partial).orElseThrow());
    String paragraph = err.lines().filter(l -> l.startsWith("hesspec: the run failed")).findFirst().orElseThrow(() -> new AssertionError(err));
    for (String s : List.of("while running the analyses", "the hessian product", "are finite", "The partial run is in " + partial, "error.log",
        "A resume would fail the same way")) {
      assertTrue(paragraph.contains(s), "'" + s + "' missing from: " + paragraph);
    }
    assertTrue(!err.contains("--resume") && !err.contains("\tat ") && !err.contains("Exception"), err);
    String log = Files.readString(partial.resolve("error.log"));
    assertTrue(log.contains("ArithmeticException") && log.contains("\tat "), log);

    RunFixtures.Outcome debug = RunFixtures.cli("run", f.toString(), "--out", out.toString(), "--debug");
    assertEquals(1, debug.status(), debug.stderr());
    assertTrue(debug.stderr().contains("\tat ") && debug.stderr().contains("ArithmeticException"), debug.stderr());
  }

  private static void check(Case k, RunFixtures.Outcome o, Path out) {
    String why = null;
    if (o.status() != 2) {
      why = "exit status " + o.status();
    } else if (o.stderr().contains("\tat ") || o.stderr().contains("Exception")) {
      why = "a stack trace or an exception's name";
    } else if (Files.exists(out) || RunFixtures.runFolders(out).stream().anyMatch(RunDirectory::isCompleteRun)) {
      why = "a result folder was written";
    } else {
      for (String s : k.mustName()) {
        if (!o.stderr().contains(s)) {
          why = "the message does not name '" + s + "'";
        }
      }
    }
    if (why != null) {
      throw new AssertionError(k.name() + ": " + why + "\n" + o.stderr());
    }
  }

  private static Path write(String name, String yaml) {
    try {
      Path dir = tmp.resolve("cases").resolve(name);
      Files.createDirectories(dir);
      Path f = dir.resolve("exp.yaml");
      Files.writeString(f, yaml);
      return f;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
