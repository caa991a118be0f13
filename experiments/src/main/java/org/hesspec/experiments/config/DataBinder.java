package org.hesspec.experiments.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.hesspec.experiments.config.DataConfig.MixtureConfig;
import org.hesspec.experiments.config.DataConfig.Source;
import org.hesspec.curvature.Loss;
import org.hesspec.experiments.config.SplitSpec.PerClass;

/** Binds and checks the {@code data} mapping; which keys apply depends on {@code source}. */
final class DataBinder {

  private static final List<String> ALL_KEYS = List.of(
      "source", "dir", "classes", "dims", "separation", "train", "test", "standardize", "pad_to_32_rgb");

  private final Convert convert;
  private final PathChecks paths;
  private final Loss loss;

  DataBinder(Convert convert, PathChecks paths, Loss loss) {
    this.convert = convert;
    this.paths = paths;
    this.loss = loss;
  }

  Optional<DataConfig> bind(MapReader r) {
    Optional<Source> source = r.require("source", "one of " + Convert.names(Source.class))
        .flatMap(v -> convert.enumValue(v, r.path("source"), Source.class));
    if (source.isEmpty()) {
      // Without a source no other key can be judged; mark them known so only real typos show.
      ALL_KEYS.forEach(r::has);
      r.finish();
      return Optional.empty();
    }
    Source src = source.get();
    Origin sourceOrigin = r.map().get("source").get().origin();
    Optional<Path> dir = dir(r, src, sourceOrigin);
    Optional<MixtureConfig> mixture = mixture(r, src);
    int classes = mixture.map(MixtureConfig::classes).orElse(src.knownClasses());
    Optional<SplitSpec> train;
    Optional<YamlValue> trainNode = r.get("train");
    if (trainNode.isPresent()) {
      train = split(MapReader.of(trainNode.get(), r.path("train"), convert), src, true, classes);
    } else if (src == Source.NPY || src == Source.CSV || src == Source.GAUSSIAN_MIXTURE) {
      String what = src == Source.NPY ? "{x: ..., y: ...}" : src == Source.CSV ? "{file: ...}" : "{per_class: ...}";
      r.errors().add(r.map().origin(), r.path("train"), "missing required key (source " + src.yamlName()
          + " needs train: " + what + ")");
      train = Optional.empty();
    } else {
      train = Optional.of(new SplitSpec(new PerClass.All(), Optional.empty()));
    }
    Optional<SplitSpec> test = r.get("test").flatMap(v -> split(MapReader.of(v, r.path("test"), convert), src, false, classes));
    boolean testBroken = r.map().get("test").isPresent() && test.isEmpty();
    boolean standardize = r.bool("standardize", false);
    boolean pad = r.bool("pad_to_32_rgb", false);
    if (pad && src != Source.FASHION_MNIST && src != Source.MNIST_IDX) {
      r.errors().add(r.map().get("pad_to_32_rgb").get().origin(), r.path("pad_to_32_rgb"),
          "pad_to_32_rgb applies only to the 28x28 grey images of fashion-mnist and mnist-idx");
    }
    r.finish();
    if (train.isEmpty() || testBroken || (src.readsDir() && dir.isEmpty())) {
      return Optional.empty();
    }
    return Optional.of(new DataConfig(src, dir, train.get(), test, mixture, standardize, pad));
  }

  private Optional<Path> dir(MapReader r, Source src, Origin sourceOrigin) {
    if (!src.readsDir()) {
      r.notApplicable("dir", "dir applies only to sources fashion-mnist, mnist-idx and cifar10; "
          + src.yamlName() + " names its files under train and test");
      return Optional.empty();
    }
    Optional<YamlValue> node = r.get("dir");
    if (node.isPresent()) {
      Optional<Path> dir = paths.resolve(node.get(), r.path("dir"));
      return dir.filter(d -> paths.checkDirectory(d, node.get().origin(), r.path("dir"), ""));
    }
    Path dflt = src.defaultDir();
    String hint = src == Source.FASHION_MNIST ? "install the Debian package dataset-fashion-mnist or set data.dir"
        : "set data.dir";
    boolean ok = paths.checkDirectory(dflt, sourceOrigin, r.path("dir"),
        " (the default for source " + src.yamlName() + "; " + hint + ")");
    return ok ? Optional.of(dflt) : Optional.empty();
  }

  private Optional<MixtureConfig> mixture(MapReader r, Source src) {
    if (src != Source.GAUSSIAN_MIXTURE) {
      for (String key : List.of("classes", "dims", "separation")) {
        r.notApplicable(key, key + " applies only to source gaussian-mixture");
      }
      return Optional.empty();
    }
    int classes = r.integer("classes", 10, 2);
    int dims = r.integer("dims", 100, 1);
    double separation = r.number("separation", 3.0, 0, false, 1e6);
    return Optional.of(new MixtureConfig(classes, dims, separation));
  }

  /**
   * One split. {@code classes} is the number of classes when known here (0 otherwise), to check
   * a per-class count list's length.
   */
  private Optional<SplitSpec> split(MapReader s, Source src, boolean isTrain, int classes) {
    if (s.broken()) {
      return Optional.empty();
    }
    int before = s.errors().size();
    Optional<YamlValue> perClassNode = s.get("per_class");
    PerClass perClass = perClassNode.flatMap(v -> perClass(v, s.path("per_class"), src, isTrain, classes))
        .orElse(new PerClass.All());
    if (src == Source.GAUSSIAN_MIXTURE && perClassNode.isEmpty()) {
      s.errors().add(s.map().origin(), s.path("per_class"),
          "missing required key (gaussian-mixture generates its data: say how many examples per class)");
    }
    Optional<SplitSpec.FileSet> files = Optional.empty();
    if (src == Source.NPY) {
      files = npy(s, perClass);
    } else {
      for (String key : List.of("x", "y", "targets", "t")) {
        s.notApplicable(key, key + " applies only to source npy");
      }
    }
    if (src == Source.CSV) {
      files = csv(s);
    } else {
      for (String key : List.of("file", "label_column")) {
        s.notApplicable(key, key + " applies only to source csv");
      }
    }
    s.finish();
    if (s.errors().size() > before) {
      return Optional.empty();
    }
    return Optional.of(new SplitSpec(perClass, files));
  }

  private Optional<PerClass> perClass(YamlValue v, String path, Source src, boolean isTrain, int classes) {
    PerClass perClass;
    if (v instanceof YamlScalar s && s.kind() == YamlScalar.Kind.STRING && s.text().equals("all")) {
      if (src == Source.GAUSSIAN_MIXTURE) {
        convert.errors().add(v.origin(), path, "gaussian-mixture generates its data: per_class must be a number");
        return Optional.empty();
      }
      return Optional.of(new PerClass.All());
    }
    if (v instanceof YamlList) {
      Optional<List<Integer>> counts = convert.nonEmptyList(v, path, (item, p) -> convert.integer(item, p, 1));
      if (counts.isEmpty()) {
        return Optional.empty();
      }
      if (classes > 0 && counts.get().size() != classes) {
        convert.errors().add(v.origin(), path, "a per-class count list needs one count per class: "
            + classes + " counts, found " + counts.get().size());
        return Optional.empty();
      }
      perClass = new PerClass.Counts(counts.get());
    } else if (v instanceof YamlScalar s && s.kind() == YamlScalar.Kind.INT) {
      Optional<Integer> n = convert.integer(v, path, 1);
      if (n.isEmpty()) {
        return Optional.empty();
      }
      perClass = new PerClass.Uniform(n.get());
    } else {
      convert.errors().add(v.origin(), path, "expected a positive integer, all, or a list of per-class counts, found "
          + v.describe());
      return Optional.empty();
    }
    int available = src.examplesPerClass(isTrain);
    int largest = perClass instanceof PerClass.Uniform u ? u.n()
        : ((PerClass.Counts) perClass).counts().stream().mapToInt(Integer::intValue).max().orElse(0);
    if (available > 0 && largest > available) {
      convert.errors().add(v.origin(), path, src.yamlName() + " has only " + available + " "
          + (isTrain ? "training" : "test") + " examples per class, found " + largest);
      return Optional.empty();
    }
    return Optional.of(perClass);
  }

  private Optional<SplitSpec.FileSet> npy(MapReader s, PerClass perClass) {
    Optional<Path> x = s.require("x", "the features .npy file").flatMap(v -> paths.existingFile(v, s.path("x")));
    Optional<Path> y = s.get("y").flatMap(v -> paths.existingFile(v, s.path("y")));
    // `targets` is the documented key; `t` is accepted as its short alias (never both).
    boolean hasTargets = s.has("targets");
    boolean hasAlias = s.has("t");
    String targetsKey = hasAlias && !hasTargets ? "t" : "targets";
    if (hasTargets && hasAlias) {
      s.errors().add(s.map().entry("t").get().keyOrigin(), s.path("t"),
          "t is an alias of targets: give one of them, not both");
    }
    Optional<Path> t = s.get(targetsKey).flatMap(v -> paths.existingFile(v, s.path(targetsKey)));
    boolean hasY = s.map().get("y").isPresent();
    boolean hasT = hasTargets || hasAlias;
    if (hasT && loss == Loss.CROSS_ENTROPY) {
      s.errors().add(s.map().entry(targetsKey).get().keyOrigin(), s.path(targetsKey),
          "regression targets need loss: mse; cross_entropy reads class labels from y");
    }
    if (!hasY && (loss == Loss.CROSS_ENTROPY || !hasT)) {
      s.errors().add(s.map().origin(), s.path("y"), "missing required key (the class labels .npy file"
          + (loss == Loss.MSE ? ", or targets for regression targets)" : ")"));
    }
    if (!hasY && hasT && !(perClass instanceof PerClass.All)) {
      s.errors().add(s.map().origin(), s.path("per_class"), "per_class needs class labels: give y as well");
    }
    return x.map(xp -> new SplitSpec.NpyFiles(xp, y, t));
  }

  private Optional<SplitSpec.FileSet> csv(MapReader s) {
    Optional<Path> file = s.require("file", "the .csv table").flatMap(v -> paths.existingFile(v, s.path("file")));
    String labelColumn = s.string("label_column", "label");
    return file.map(f -> new SplitSpec.CsvFile(f, labelColumn));
  }
}
