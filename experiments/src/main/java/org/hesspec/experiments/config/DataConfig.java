package org.hesspec.experiments.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The data set and its splits.
 *
 * @param source where examples come from
 * @param dir folder of the IDX / CIFAR-10 files (absolute), for the sources that read one
 *     [{@link Source#defaultDir()}]; empty for npy, csv and gaussian-mixture
 * @param train the training split [every example]
 * @param test the optional evaluation split
 * @param mixture generator settings, present exactly for gaussian-mixture
 * @param standardize shift and scale every feature to mean 0, variance 1 over the training split [false]
 * @param padTo32Rgb pad 28x28 grey images to 32x32 and repeat them over 3 channels, so that
 *     CIFAR-shaped architectures accept them; fashion-mnist and mnist-idx only [false]
 */
public record DataConfig(
    Source source,
    Optional<Path> dir,
    SplitSpec train,
    Optional<SplitSpec> test,
    Optional<MixtureConfig> mixture,
    boolean standardize,
    boolean padTo32Rgb) {

  public DataConfig {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(test, "test");
    Objects.requireNonNull(mixture, "mixture");
  }

  /** Data sources, with the folder each reads by default. */
  public enum Source implements YamlEnum {
    FASHION_MNIST("fashion-mnist", "/usr/share/datasets/fashion-mnist", 6000, 1000),
    MNIST_IDX("mnist-idx", "/usr/share/datasets/mnist", 0, 0),
    CIFAR10("cifar10", "/usr/share/datasets/cifar10", 5000, 1000),
    NPY("npy", null, 0, 0),
    CSV("csv", null, 0, 0),
    GAUSSIAN_MIXTURE("gaussian-mixture", null, 0, 0);

    private final String yamlName;
    private final String defaultDir;
    private final int trainPerClass;
    private final int testPerClass;

    Source(String yamlName, String defaultDir, int trainPerClass, int testPerClass) {
      this.yamlName = yamlName;
      this.defaultDir = defaultDir;
      this.trainPerClass = trainPerClass;
      this.testPerClass = testPerClass;
    }

    @Override
    public String yamlName() {
      return yamlName;
    }

    /** Whether the source reads a folder given by {@code data.dir}. */
    public boolean readsDir() {
      return defaultDir != null;
    }

    /** The folder read when {@code data.dir} is not given; null for sources without one. */
    public Path defaultDir() {
      return defaultDir == null ? null : Path.of(defaultDir);
    }

    /**
     * Examples per class in the named split of the published data set, or 0 when unknown:
     * Fashion-MNIST and CIFAR-10 are exactly balanced; MNIST is not, and a user's IDX folder may
     * hold something else, so mnist-idx leaves the check to the reader.
     */
    public int examplesPerClass(boolean train) {
      return train ? trainPerClass : testPerClass;
    }

    /** Number of classes of the published data set, or 0 when the files decide. */
    public int knownClasses() {
      return trainPerClass > 0 || this == MNIST_IDX ? 10 : 0;
    }
  }

  /**
   * The built-in Gaussian mixture: {@code classes} isotropic unit-variance Gaussians in
   * {@code dims} dimensions whose means lie {@code separation} apart on average.
   *
   * @param classes number of classes, at least 2 [10]
   * @param dims feature dimension [100]
   * @param separation distance scale of the class means, non-negative [3.0]
   */
  public record MixtureConfig(int classes, int dims, double separation) {}

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("source", source.yamlName());
    dir.ifPresent(d -> m.put("dir", d.toString()));
    mixture.ifPresent(g -> {
      m.put("classes", g.classes());
      m.put("dims", g.dims());
      m.put("separation", g.separation());
    });
    m.put("train", train.toMap());
    test.ifPresent(t -> m.put("test", t.toMap()));
    m.put("standardize", standardize);
    m.put("pad_to_32_rgb", padTo32Rgb);
    return m;
  }
}
