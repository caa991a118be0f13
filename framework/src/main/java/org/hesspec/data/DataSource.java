package org.hesspec.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where an experiment's data comes from: the {@code data.source} key of the experiment file and
 * the keys that go with it. {@link DataLoader#load} turns a source and a split into a data set.
 *
 * <p>Directory sources ({@link FashionMnist}, {@link MnistIdx}, {@link Cifar10}) hold both splits
 * and the loader picks one. File sources ({@link Npy}, {@link Csv}) describe the files of one
 * split, so the runner builds one from {@code data.train} and another from {@code data.test}; the
 * loader's split argument then only names the result. The {@link GaussianMixture} generates
 * either split from the seed.
 */
public sealed interface DataSource {

  /** The {@code data.source} key value, e.g. {@code fashion-mnist}. */
  String key();

  /** Fashion-MNIST IDX files in {@code dir} ({@code fashion-mnist}). */
  record FashionMnist(Path dir) implements DataSource {
    public FashionMnist {
      Objects.requireNonNull(dir, "dir");
    }

    /** At {@link org.hesspec.data.FashionMnist#DEFAULT_DIR}. */
    public FashionMnist() {
      this(org.hesspec.data.FashionMnist.DEFAULT_DIR);
    }

    @Override
    public String key() {
      return "fashion-mnist";
    }
  }

  /** MNIST-layout IDX files in {@code dir} ({@code mnist-idx}). */
  record MnistIdx(Path dir) implements DataSource {
    public MnistIdx {
      Objects.requireNonNull(dir, "dir");
    }

    @Override
    public String key() {
      return "mnist-idx";
    }
  }

  /** CIFAR-10 binary batches in {@code dir} or {@code dir/cifar-10-batches-bin} ({@code cifar10}). */
  record Cifar10(Path dir) implements DataSource {
    public Cifar10 {
      Objects.requireNonNull(dir, "dir");
    }

    @Override
    public String key() {
      return "cifar10";
    }
  }

  /**
   * The {@code .npy} files of one split ({@code npy}); see {@link NpyDataset}.
   *
   * @param x features
   * @param y integer labels, or null
   * @param targets regression targets, or null (at least one of y and targets)
   * @param numClasses C, or 0 to infer it as the largest label plus one (give it when a split
   *     may lack the highest class)
   */
  record Npy(Path x, Path y, Path targets, int numClasses) implements DataSource {
    public Npy {
      Objects.requireNonNull(x, "x");
      if (y == null && targets == null) {
        throw new IllegalArgumentException("npy source: y (labels) or targets is required besides x");
      }
    }

    /** Features and labels, C inferred. */
    public Npy(Path x, Path y) {
      this(x, y, null, 0);
    }

    @Override
    public String key() {
      return "npy";
    }
  }

  /**
   * The CSV file of one split ({@code csv}); see {@link CsvDataset}.
   *
   * @param file the file
   * @param labelColumn header name of the label column
   * @param featureColumns header names of the feature columns, empty for all others
   * @param numClasses C, or 0 to infer it
   */
  record Csv(Path file, String labelColumn, List<String> featureColumns, int numClasses) implements DataSource {
    public Csv {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(labelColumn, "labelColumn");
      featureColumns = featureColumns == null ? List.of() : List.copyOf(featureColumns);
    }

    /** All columns but the label are features, C inferred. */
    public Csv(Path file, String labelColumn) {
      this(file, labelColumn, List.of(), 0);
    }

    @Override
    public String key() {
      return "csv";
    }
  }

  /**
   * The synthetic mixture ({@code gaussian-mixture}); see {@link GaussianMixtureGenerator} for the
   * meaning of {@code separation}.
   */
  record GaussianMixture(int classes, int dims, double separation) implements DataSource {
    @Override
    public String key() {
      return "gaussian-mixture";
    }
  }
}
