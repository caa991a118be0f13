package org.hesspec.data;

import java.nio.file.Path;

/**
 * MNIST handwritten digits (or any data set in MNIST's four-file IDX layout) from a directory the
 * user names: the {@code mnist-idx} source. File names as for {@link FashionMnist}; see
 * {@link IdxDirectory} for the accepted variants.
 */
public final class Mnist {

  private Mnist() {}

  /**
   * One split, example shape {@code [rows, cols, 1]} (28 x 28 for MNIST), pixels scaled to
   * {@code [0, 1]}, 10 classes, in file order.
   *
   * @throws DataFormatException when a file is missing or malformed
   */
  public static Dataset load(Path dir, Split split) {
    return IdxDirectory.load("mnist-idx", dir, split);
  }
}
