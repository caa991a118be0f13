package org.hesspec.experiments.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.hesspec.data.Dataset;
import org.hesspec.data.Split;
import org.hesspec.experiments.config.AnalysesConfig;
import org.hesspec.experiments.config.DataConfig;
import org.hesspec.experiments.config.ExperimentConfig;
import org.hesspec.experiments.config.ParameterGroup;
import org.hesspec.experiments.config.SplitSpec;
import org.hesspec.experiments.config.TrainConfig;
import org.hesspec.model.ModelDefinition;
import org.hesspec.model.ParameterTensor;
import org.hesspec.model.zoo.Architecture;
import org.hesspec.model.zoo.NetworkBuilder;
import org.hesspec.model.zoo.ParameterSpec;

/**
 * The checks of the data against the model that need both loaded, run by {@code validate},
 * {@code train} and {@code run} before anything is written (the experiment file itself has been
 * validated by the loader already). For each sweep point:
 *
 * <ul>
 *   <li>the data load (the readers reject non-finite features and targets, naming file, row and
 *       column, and malformed files);
 *   <li>the model's parameters are finite;
 *   <li>the examples' shape equals the signature input's shape (rank and every known dimension);
 *   <li>with cross-entropy every label is in [0, C), C the width of the model's output; with MSE
 *       the targets' width is the output's width;
 *   <li>every parameter pattern matches some parameter tensor;
 *   <li>{@code analyses.density.iterations}, {@code analyses.top_eigen.k} and
 *       {@code analyses.top_eigen.iterations} are at most p, the dimension of each parameter group
 *       (a Krylov space of a p x p operator has at most p dimensions).
 * </ul>
 *
 * A model that the run will train is checked through its architecture: the parameter tensors it
 * will have give the patterns and p. Every problem found is reported at once, as a
 * {@link RunInputException} (exit status 2).
 */
public final class InputCheck {

  private InputCheck() {}

  /** Checks every sweep point; throws a {@link RunInputException} listing every problem. */
  public static void check(List<ExperimentConfig> points) {
    // Each problem once, with the sweep points it occurs at unless it occurs at every point.
    Map<String, List<String>> pointsOf = new LinkedHashMap<>();
    Map<Path, ModelDefinition> models = new LinkedHashMap<>();
    for (ExperimentConfig c : points) {
      for (String p : checkPoint(c, models)) {
        pointsOf.computeIfAbsent(p, k -> new ArrayList<>()).add(c.sweepValue());
      }
    }
    List<String> problems = new ArrayList<>();
    pointsOf.forEach((p, at) -> problems.add(points.size() > 1 && at.size() < points.size()
        ? p + " [sweep point" + (at.size() > 1 ? "s " : " ") + String.join(", ", at) + "]" : p));
    if (!problems.isEmpty()) {
      String file = points.get(0).file().toString();
      throw new RunInputException(problems.size() == 1
          ? file + ": " + problems.get(0)
          : problems.size() + " problems with the data and the model of " + file + ":\n  " + String.join("\n  ", problems));
    }
  }

  private static List<String> checkPoint(ExperimentConfig c, Map<Path, ModelDefinition> models) {
    List<String> problems = new ArrayList<>();
    ExperimentData data = ExperimentData.load(c.data(), c.seed());
    Path dir = ModelStep.savedModel(c);
    if (ModelStep.exists(dir)) {
      ModelDefinition model = models.computeIfAbsent(dir, d -> ModelStep.load(c, d));
      checkTheta(model, problems);
      for (Split split : splitsToCheck(c)) {
        Dataset ds = split == Split.TRAIN ? data.train() : data.test();
        if (ds != null) {
          checkAgainstModel(c, split, ds, model, problems);
        }
      }
      List<Group> groups = new ArrayList<>();
      for (ParameterGroup g : c.model().parameters()) {
        groups.add(group(g, model.layout().tensors().stream().map(ParameterTensor::name).toList(),
            name -> model.layout().tensor(name).size(), problems));
      }
      checkSizes(c, groups, problems);
    } else if (c.model().train().isPresent()) {
      TrainConfig t = c.model().train().get();
      Architecture arch;
      try {
        arch = ModelStep.architecture(t, data.train());
      } catch (IllegalArgumentException e) {
        problems.add("model.train.architecture: " + t.architecture().yamlName() + " cannot be trained on this data: " + e.getMessage());
        return problems;
      }
      List<ParameterSpec> specs = NetworkBuilder.parameterSpecs(arch);
      List<Group> groups = new ArrayList<>();
      for (ParameterGroup g : c.model().parameters()) {
        groups.add(group(g, specs.stream().map(ParameterSpec::name).toList(),
            name -> specs.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow().size(), problems));
      }
      checkSizes(c, groups, problems);
    }
    return problems;
  }

  /** Train always (the model's input must fit the data it is evaluated on), test when given. */
  private static List<Split> splitsToCheck(ExperimentConfig c) {
    List<Split> s = new ArrayList<>(List.of(Split.TRAIN));
    if (c.data().test().isPresent()) {
      s.add(Split.TEST);
    }
    return s;
  }

  private static void checkTheta(ModelDefinition model, List<String> problems) {
    double[] theta = model.theta();
    for (int i = 0; i < theta.length; i++) {
      if (!Double.isFinite(theta[i])) {
        ParameterTensor t = tensorAt(model, i);
        problems.add("model.savedmodel: the parameters of " + model.source() + " are not finite: parameter tensor '"
            + t.name() + "' holds " + theta[i] + " at element " + (i - t.offset())
            + " (a model whose training diverged cannot be analysed)");
        return;
      }
    }
  }

  private static ParameterTensor tensorAt(ModelDefinition model, long index) {
    ParameterTensor found = model.layout().tensors().get(0);
    for (ParameterTensor t : model.layout().tensors()) {
      if (t.offset() <= index) {
        found = t;
      }
    }
    return found;
  }

  private static void checkAgainstModel(ExperimentConfig c, Split split, Dataset ds, ModelDefinition model,
      List<String> problems) {
    String key = "data." + split.yamlName();
    String what = key + " (" + describe(c.data(), split == Split.TRAIN ? c.data().train() : c.data().test().orElseThrow()) + ")";
    String input = "the model's input '" + c.model().input().orElse(model.inputTensor()) + "' (signature "
        + c.model().signature() + ")";
    long[] expected = model.exampleShape();
    int[] got = ds.exampleShape();
    if (expected != null && !fits(expected, got)) {
      problems.add(what + ": examples have shape " + Arrays.toString(got) + " but " + input + " takes examples of shape "
          + shape(expected) + (expected.length != got.length
              ? " (" + got.length + " dimensions against " + expected.length + ")" : ""));
    }
    long width = model.outputWidth();
    String output = "the model's output '" + c.model().output().orElse(model.outputTensor()) + "'";
    SplitSpec spec = split == Split.TRAIN ? c.data().train() : c.data().test().orElseThrow();
    if (c.loss() == org.hesspec.curvature.Loss.CROSS_ENTROPY && ds.labels() != null && width > 0) {
      int[] y = ds.labels();
      for (int i = 0; i < y.length; i++) {
        if (y[i] < 0 || y[i] >= width) {
          problems.add(key + " (" + labelLocation(c.data(), spec, y[i], width, i) + "): label " + y[i] + " is outside [0, "
              + width + "): " + output + " has " + width + " classes");
          break;
        }
      }
    }
    if (c.loss() == org.hesspec.curvature.Loss.MSE && ds.targets() != null && width > 0 && ds.targetWidth() != width) {
      String file = spec.files().filter(f -> f instanceof SplitSpec.NpyFiles).map(f -> ((SplitSpec.NpyFiles) f).t())
          .flatMap(t -> t).map(Path::toString).orElse(describe(c.data(), spec));
      problems.add(key + " (" + file + "): targets have width " + ds.targetWidth() + " but " + output + " has width " + width);
    }
  }

  /**
   * Where the first label outside [0, C) is in the file: its row (0-based for NPY, the data row
   * for CSV); for the other sources, its position in the subsampled split.
   */
  private static String labelLocation(DataConfig data, SplitSpec spec, int label, long width, int indexInSplit) {
    if (spec.files().isPresent() && spec.files().get() instanceof SplitSpec.NpyFiles n && n.y().isPresent()) {
      int[] all = org.hesspec.data.NpyReader.read(n.y().get()).toInts();
      for (int i = 0; i < all.length; i++) {
        if (all[i] < 0 || all[i] >= width) {
          return n.y().get() + ", row " + i + " (0-based)";
        }
      }
    }
    if (spec.files().isPresent() && spec.files().get() instanceof SplitSpec.CsvFile f) {
      int[] all = org.hesspec.data.CsvDataset.load(f.file(), f.labelColumn(), List.of(), 0).labels();
      for (int i = 0; i < all.length; i++) {
        if (all[i] < 0 || all[i] >= width) {
          return f.file() + ", data row " + (i + 1) + ", column '" + f.labelColumn() + "'";
        }
      }
    }
    return describe(data, spec) + ", example " + indexInSplit + " of the split (0-based)";
  }

  private static boolean fits(long[] expected, int[] got) {
    if (expected.length != got.length) {
      return false;
    }
    for (int i = 0; i < got.length; i++) {
      if (expected[i] >= 0 && expected[i] != got[i]) {
        return false;
      }
    }
    return true;
  }

  private static String shape(long[] s) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < s.length; i++) {
      b.append(i > 0 ? ", " : "").append(s[i] < 0 ? "?" : String.valueOf(s[i]));
    }
    return b.append(']').toString();
  }

  /** The file or source a split comes from, for messages. */
  static String describe(DataConfig data, SplitSpec split) {
    if (split.files().isPresent()) {
      SplitSpec.FileSet f = split.files().get();
      if (f instanceof SplitSpec.NpyFiles n) {
        return n.x().toString();
      }
      if (f instanceof SplitSpec.CsvFile csv) {
        return csv.file().toString();
      }
    }
    return data.source().yamlName() + data.dir().map(d -> " in " + d).orElse("");
  }

  /** One parameter group: its name and p, or p = -1 when a pattern matched nothing. */
  private record Group(String name, long dimension) {}

  private static Group group(ParameterGroup g, List<String> tensors, java.util.function.ToLongFunction<String> size,
      List<String> problems) {
    long p = 0;
    boolean ok = true;
    for (String regex : g.include()) {
      Pattern pattern = Pattern.compile(regex);
      if (tensors.stream().noneMatch(t -> pattern.matcher(t).matches())) {
        problems.add("model.parameters: pattern '" + regex + "'" + (g.name().equals("selected") ? "" : " of group '" + g.name() + "'")
            + " matches no parameter tensor; the tensors are " + tensors + " (see hesspec inspect)");
        ok = false;
      }
    }
    for (String t : tensors) {
      if (g.matches(t)) {
        p += size.applyAsLong(t);
      }
    }
    return new Group(g.name(), ok ? p : -1);
  }

  private static void checkSizes(ExperimentConfig c, List<Group> groups, List<String> problems) {
    AnalysesConfig a = c.analyses();
    for (Group g : groups) {
      if (g.dimension() < 0) {
        continue;
      }
      String of = "p = " + g.dimension() + (groups.size() > 1 || !g.name().equals("all") ? " (parameter group '" + g.name() + "')" : "")
          + "; give at most " + g.dimension();
      a.density().ifPresent(d -> {
        if (d.iterations() > g.dimension()) {
          problems.add("analyses.density.iterations: " + d.iterations() + " Lanczos steps exceed the number of parameters, " + of);
        }
      });
      a.topEigen().ifPresent(t -> {
        if (t.k() > g.dimension()) {
          problems.add("analyses.top_eigen.k: " + t.k() + " eigenvalues asked of an operator with " + of);
        }
        if (t.iterations().isPresent() && t.iterations().getAsInt() > g.dimension()) {
          problems.add("analyses.top_eigen.iterations: " + t.iterations().getAsInt()
              + " Lanczos steps exceed the number of parameters, " + of);
        }
      });
    }
  }
}
