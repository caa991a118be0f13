package org.hesspec.experiments.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hesspec.data.DataLoader;
import org.hesspec.data.DataSource;
import org.hesspec.data.Dataset;
import org.hesspec.data.ImageTransforms;
import org.hesspec.data.PerClassSampler;
import org.hesspec.data.Split;
import org.hesspec.data.Standardizer;
import org.hesspec.experiments.config.DataConfig;
import org.hesspec.experiments.config.SplitSpec;

/**
 * The data sets an experiment's {@code data:} section describes: the training split and the
 * optional test split, subsampled per class with the experiment's seed, transformed as asked
 * (padding to 32x32x3, standardisation fitted on the training split).
 *
 * @param train the training examples
 * @param test the test examples, or null when the experiment has no test split
 */
public record ExperimentData(Dataset train, Dataset test) {

  /** Loads what {@code config} describes. */
  public static ExperimentData load(DataConfig config, long seed) {
    Dataset train = split(config, config.train(), Split.TRAIN, seed);
    Dataset test = config.test().map(s -> split(config, s, Split.TEST, seed)).orElse(null);
    if (config.padTo32Rgb()) {
      train = ImageTransforms.toCifarShape(train);
      test = test == null ? null : ImageTransforms.toCifarShape(test);
    }
    if (config.standardize()) {
      Standardizer s = Standardizer.fit(train, Standardizer.Mode.PER_FEATURE);
      train = s.apply(train);
      test = test == null ? null : s.apply(test);
    }
    return new ExperimentData(train, test);
  }

  /** The split called {@code train} or {@code test}. */
  public Dataset split(String name) {
    return switch (name) {
      case "train" -> train;
      case "test" -> {
        if (test == null) {
          throw new RunInputException("the experiment analyses split 'test' but data.test is not given");
        }
        yield test;
      }
      default -> throw new IllegalArgumentException("unknown split '" + name + "'");
    };
  }

  private static Dataset split(DataConfig config, SplitSpec spec, Split split, long seed) {
    DataSource source = source(config, spec);
    SplitSpec.PerClass pc = spec.perClass();
    if (pc instanceof SplitSpec.PerClass.Uniform u) {
      return DataLoader.load(source, split, u.n(), seed);
    }
    if (pc instanceof SplitSpec.PerClass.Counts c) {
      return counts(DataLoader.load(source, split, DataLoader.ALL, seed), c.counts(), seed);
    }
    return DataLoader.load(source, split, DataLoader.ALL, seed);
  }

  /**
   * An imbalanced subsample: the first {@code counts[c]} examples of class c from the nested seeded
   * sample of the largest count (so the same seed gives nested subsamples, as for a uniform count).
   */
  private static Dataset counts(Dataset all, List<Integer> counts, long seed) {
    if (counts.size() != all.numClasses()) {
      throw new RunInputException("per_class lists " + counts.size() + " counts but the data ("
          + all.name() + ") has " + all.numClasses() + " classes");
    }
    int max = counts.stream().mapToInt(Integer::intValue).max().orElse(0);
    int[] idx = PerClassSampler.indices(all, max, seed);
    int[] taken = new int[all.numClasses()];
    List<Integer> keep = new ArrayList<>();
    for (int i : idx) {
      int y = all.labels()[i];
      if (taken[y] < counts.get(y)) {
        taken[y]++;
        keep.add(i);
      }
    }
    return all.subset(keep.stream().mapToInt(Integer::intValue).toArray());
  }

  private static DataSource source(DataConfig config, SplitSpec spec) {
    return switch (config.source()) {
      case FASHION_MNIST -> new DataSource.FashionMnist(dir(config));
      case MNIST_IDX -> new DataSource.MnistIdx(dir(config));
      case CIFAR10 -> new DataSource.Cifar10(dir(config));
      case GAUSSIAN_MIXTURE -> {
        DataConfig.MixtureConfig m = config.mixture().orElseThrow();
        yield new DataSource.GaussianMixture(m.classes(), m.dims(), m.separation());
      }
      case NPY -> {
        SplitSpec.NpyFiles f = (SplitSpec.NpyFiles) spec.files().orElseThrow();
        yield new DataSource.Npy(f.x(), f.y().orElse(null), f.t().orElse(null), 0);
      }
      case CSV -> {
        SplitSpec.CsvFile f = (SplitSpec.CsvFile) spec.files().orElseThrow();
        yield new DataSource.Csv(f.file(), f.labelColumn());
      }
    };
  }

  private static Path dir(DataConfig config) {
    return config.dir().orElse(config.source().defaultDir());
  }
}
