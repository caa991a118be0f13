package org.hesspec.data;

/**
 * The one entry point a runner needs: a source, a split, an optional per-class subsample and a
 * seed in, a data set out. Images come scaled to {@code [0, 1]}; further preprocessing
 * ({@link ImageTransforms}, {@link Standardizer}) is the caller's choice.
 */
public final class DataLoader {

  /** {@code perClass} value meaning "every example" (the experiment file's default). */
  public static final int ALL = 0;

  private DataLoader() {}

  /**
   * Loads one split.
   *
   * @param source where the data is
   * @param split which split (names the result for file sources, see {@link DataSource})
   * @param perClass examples per class to keep ({@link PerClassSampler}), or {@link #ALL}; the
   *     Gaussian mixture generates exactly this many and requires it to be positive
   * @param seed the experiment seed; the subsample and the mixture derive their streams from it
   * @throws DataException (or its {@link DataFormatException}) for missing or malformed data and
   *     for a class with fewer than {@code perClass} examples
   */
  public static Dataset load(DataSource source, Split split, int perClass, long seed) {
    if (perClass < 0) {
      throw new IllegalArgumentException("per_class must be positive (or 0 for all), got " + perClass);
    }
    if (source instanceof DataSource.GaussianMixture g) {
      if (perClass == ALL) {
        throw new DataException("gaussian-mixture: per_class is required (the generator has no natural size)");
      }
      return GaussianMixtureGenerator.generate(g.classes(), g.dims(), g.separation(), perClass, seed, split);
    }
    Dataset all;
    if (source instanceof DataSource.FashionMnist f) {
      all = FashionMnist.load(f.dir(), split);
    } else if (source instanceof DataSource.MnistIdx m) {
      all = Mnist.load(m.dir(), split);
    } else if (source instanceof DataSource.Cifar10 c) {
      all = Cifar10.load(c.dir(), split);
    } else if (source instanceof DataSource.Npy n) {
      all = rename(NpyDataset.load(n.x(), n.y(), n.targets(), n.numClasses()), split);
    } else if (source instanceof DataSource.Csv c) {
      all = rename(CsvDataset.load(c.file(), c.labelColumn(), c.featureColumns(), c.numClasses()), split);
    } else {
      throw new AssertionError("unhandled source " + source);
    }
    return perClass == ALL ? all : PerClassSampler.sample(all, perClass, Seeds.derive(seed, "subsample/" + split.key()));
  }

  private static Dataset rename(Dataset d, Split split) {
    return new Dataset(d.name() + "/" + split.key(), d.features(), d.exampleShape(), d.labels(), d.targets(), d.targetWidth(), d.numClasses());
  }
}
