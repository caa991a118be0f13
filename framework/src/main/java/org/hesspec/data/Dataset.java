package org.hesspec.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * An in-memory labelled data set: {@code n} examples of shape {@code exampleShape}, stored
 * row-major in one flat float array (images as height x width x channels, the NHWC layout
 * TensorFlow's CPU kernels use), with integer class labels for classification and optional
 * float targets for regression with MSE.
 *
 * @param name human-readable provenance (file or generator), used in error messages and reports
 * @param features flat {@code n * prod(exampleShape)} values, example after example
 * @param exampleShape the shape of one example, e.g. {@code [28, 28, 1]} or {@code [100]}
 * @param labels class labels in {@code [0, numClasses)}, length n; may be null for pure regression
 * @param targets regression targets, {@code n * targetWidth} values; null for classification
 * @param targetWidth number of target values per example (0 when {@code targets} is null)
 * @param numClasses C, the number of classes (0 for pure regression)
 */
public record Dataset(
    String name,
    float[] features,
    int[] exampleShape,
    int[] labels,
    float[] targets,
    int targetWidth,
    int numClasses) {

  public Dataset {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(exampleShape, "exampleShape");
    int fs = 1;
    for (int d : exampleShape) {
      if (d <= 0) {
        throw new IllegalArgumentException(name + ": example shape " + Arrays.toString(exampleShape) + " has a non-positive dimension");
      }
      fs *= d;
    }
    if (features.length % fs != 0) {
      throw new IllegalArgumentException(name + ": " + features.length + " feature values is not a multiple of the example size " + fs);
    }
    int n = features.length / fs;
    if (labels != null && labels.length != n) {
      throw new IllegalArgumentException(name + ": " + labels.length + " labels for " + n + " examples");
    }
    if (targets != null && targets.length != (long) n * targetWidth) {
      throw new IllegalArgumentException(name + ": " + targets.length + " target values for " + n + " examples of width " + targetWidth);
    }
    if (labels == null && targets == null) {
      throw new IllegalArgumentException(name + ": neither labels nor targets");
    }
    if (labels != null) {
      for (int i = 0; i < n; i++) {
        if (labels[i] < 0 || labels[i] >= numClasses) {
          throw new IllegalArgumentException(name + ": label " + labels[i] + " of example " + i + " is outside [0, " + numClasses + ")");
        }
      }
    }
  }

  /** A classification data set. */
  public static Dataset classification(String name, float[] features, int[] exampleShape, int[] labels, int numClasses) {
    return new Dataset(name, features, exampleShape, labels, null, 0, numClasses);
  }

  /** Number of examples n. */
  public int size() {
    return features.length / exampleSize();
  }

  /** Number of values in one example, the product of {@link #exampleShape()}. */
  public int exampleSize() {
    int fs = 1;
    for (int d : exampleShape) {
      fs *= d;
    }
    return fs;
  }

  /** The examples at {@code indices}, in that order. */
  public Dataset subset(int[] indices) {
    int fs = exampleSize();
    float[] f = new float[indices.length * fs];
    int[] l = labels == null ? null : new int[indices.length];
    float[] t = targets == null ? null : new float[indices.length * targetWidth];
    for (int k = 0; k < indices.length; k++) {
      int i = indices[k];
      System.arraycopy(features, i * fs, f, k * fs, fs);
      if (l != null) {
        l[k] = labels[i];
      }
      if (t != null) {
        System.arraycopy(targets, i * targetWidth, t, k * targetWidth, targetWidth);
      }
    }
    return new Dataset(name, f, exampleShape.clone(), l, t, targetWidth, numClasses);
  }

  /** Number of examples of each class, n_c (length C). */
  public int[] classCounts() {
    int[] counts = new int[numClasses];
    if (labels != null) {
      for (int y : labels) {
        counts[y]++;
      }
    }
    return counts;
  }
}
