package org.hesspec.curvature;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.hesspec.data.Dataset;
import org.hesspec.data.Seeds;
import org.hesspec.model.Precision;
import org.hesspec.model.TensorValues;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/**
 * A data subset held as TensorFlow tensors, cut into mini-batches once, so that every product
 * over the subset feeds resident tensors instead of copying examples again.
 *
 * <p>Each example carries the weight {@code 1/n} (n = size of the subset), so that summing the
 * weighted per-example quantities over all batches gives the subset's mean: nothing depends on
 * the batch size except speed and memory.
 */
public final class BatchedData implements AutoCloseable {

  /**
   * One mini-batch: inputs, labels (or targets), per-example weights, and per-example standard
   * normal noise {@code [size, C]} from which {@code fisher_mc} samples its labels.
   */
  public record Batch(int size, int[] indices, TFloating x, TInt32 labels, TFloating targets, TFloating weights, TFloating noise) {}

  private final List<Batch> batches = new ArrayList<>();
  private final int size;
  private final int numClasses;
  private final int[] labels;

  private BatchedData(int size, int numClasses, int[] labels) {
    this.size = size;
    this.numClasses = numClasses;
    this.labels = labels;
  }

  /** All of {@code data} in batches of {@code batchSize}, in order, with the noise of sampling seed 0. */
  public static BatchedData of(Dataset data, int batchSize, Precision precision) {
    return of(data, batchSize, precision, 0);
  }

  /**
   * All of {@code data} in batches of {@code batchSize}, in order; example k's noise derives from
   * {@code samplingSeed} and k alone, so every product over these data sees the same sampled labels.
   */
  public static BatchedData of(Dataset data, int batchSize, Precision precision, long samplingSeed) {
    int[] all = new int[data.size()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    return of(data, all, batchSize, precision, samplingSeed);
  }

  /** The examples {@code indices} of {@code data}, in batches of {@code batchSize}, with the noise of sampling seed 0. */
  public static BatchedData of(Dataset data, int[] indices, int batchSize, Precision precision) {
    return of(data, indices, batchSize, precision, 0);
  }

  /** The examples {@code indices} of {@code data}, in batches of {@code batchSize}; noise as {@link #of(Dataset, int, Precision, long)}. */
  public static BatchedData of(Dataset data, int[] indices, int batchSize, Precision precision, long samplingSeed) {
    if (indices.length == 0) {
      throw new IllegalArgumentException(data.name() + ": empty data subset");
    }
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch_size " + batchSize + ": expected a positive number");
    }
    Dataset sub = data.subset(indices);
    BatchedData out = new BatchedData(indices.length, data.numClasses(), sub.labels());
    int fs = sub.exampleSize();
    double w = 1.0 / indices.length;
    try {
      for (int from = 0; from < indices.length; from += batchSize) {
        int b = Math.min(batchSize, indices.length - from);
        long[] xs = new long[sub.exampleShape().length + 1];
        xs[0] = b;
        for (int d = 0; d < sub.exampleShape().length; d++) {
          xs[d + 1] = sub.exampleShape()[d];
        }
        TFloating x = TensorValues.of(sub.features(), from * fs, Shape.of(xs), precision);
        TInt32 y = sub.labels() == null ? TensorValues.ofInts(new int[b], 0, Shape.of(b)) : TensorValues.ofInts(sub.labels(), from, Shape.of(b));
        TFloating t = sub.targets() == null
            ? TensorValues.of(oneHot(sub.labels(), from, b, data.numClasses()), 0, Shape.of(b, data.numClasses()), precision)
            : TensorValues.of(sub.targets(), from * sub.targetWidth(), Shape.of(b, sub.targetWidth()), precision);
        double[] ws = new double[b];
        java.util.Arrays.fill(ws, w);
        TFloating weights = TensorValues.of(ws, 0, Shape.of(b), precision);
        int width = Math.toIntExact(t.shape().get(1));
        double[] xi = new double[b * width];
        for (int i = 0; i < b; i++) {
          // java.util.Random's Gaussian is specified exactly by the JDK: the same noise on every JVM
          java.util.Random rng = new java.util.Random(Seeds.derive(samplingSeed, "fisher_mc/" + indices[from + i]));
          for (int c = 0; c < width; c++) {
            xi[i * width + c] = rng.nextGaussian();
          }
        }
        TFloating noise = TensorValues.of(xi, 0, Shape.of(b, width), precision);
        out.batches.add(new Batch(b, java.util.Arrays.copyOfRange(indices, from, from + b), x, y, t, weights, noise));
      }
    } catch (RuntimeException e) {
      out.close();
      throw e;
    }
    return out;
  }

  /** Regression targets for a classification data set under MSE: the one-hot vectors e_y. */
  private static double[] oneHot(int[] labels, int from, int b, int c) {
    double[] t = new double[b * c];
    for (int i = 0; i < b; i++) {
      t[i * c + labels[from + i]] = 1;
    }
    return t;
  }

  public List<Batch> batches() {
    return Collections.unmodifiableList(batches);
  }

  /** n, the number of examples. */
  public int size() {
    return size;
  }

  public int numClasses() {
    return numClasses;
  }

  /** Labels of the examples in batch order (null for pure regression). */
  public int[] labels() {
    return labels == null ? null : labels.clone();
  }

  @Override
  public void close() {
    for (Batch b : batches) {
      b.x().close();
      b.labels().close();
      b.targets().close();
      b.weights().close();
      b.noise().close();
    }
    batches.clear();
  }
}
