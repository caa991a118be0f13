package org.hesspec.data;

import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf 2017): 60000 training and 10000 test grey-scale images
 * of 28 x 28 pixels in 10 classes, read from IDX files.
 *
 * <p>Debian's {@code dataset-fashion-mnist} package installs them in {@link #DEFAULT_DIR} as
 * {@code train-images-idx3-ubyte.gz}, {@code train-labels-idx1-ubyte.gz},
 * {@code t10k-images-idx3-ubyte.gz} and {@code t10k-labels-idx1-ubyte.gz}.
 */
public final class FashionMnist {

  /** Where the Debian package {@code dataset-fashion-mnist} puts the files. */
  public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");

  /** The class names, index = label. */
  public static final List<String> CLASS_NAMES = List.of(
      "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

  private FashionMnist() {}

  /**
   * One split, example shape {@code [28, 28, 1]}, pixels scaled to {@code [0, 1]}, 10 classes, in
   * file order.
   *
   * @throws DataFormatException when a file is missing or malformed
   */
  public static Dataset load(Path dir, Split split) {
    return IdxDirectory.load("fashion-mnist", dir, split);
  }

  /** One split from {@link #DEFAULT_DIR}. */
  public static Dataset load(Split split) {
    return load(DEFAULT_DIR, split);
  }
}
