package org.hesspec.data;

/**
 * One mini-batch: a copy of some examples of a data set, ready to be fed to a model.
 *
 * @param x the features, {@code size * prod(exampleShape)} floats, example after example
 * @param labels their class labels, or null when the data set has none
 * @param targets their regression targets ({@code size * targetWidth}), or null
 * @param size the number of examples in the batch
 * @param exampleShape the shape of one example; the batch tensor is {@code [size, exampleShape...]}
 * @param indices the examples' indices in the data set, in batch order
 */
public record Batch(float[] x, int[] labels, float[] targets, int size, int[] exampleShape, int[] indices) {

  /** Copies the examples at {@code indices} of {@code data} into a batch. */
  public static Batch of(Dataset data, int[] indices) {
    int fs = data.exampleSize();
    float[] x = new float[indices.length * fs];
    int[] labels = data.labels() == null ? null : new int[indices.length];
    int tw = data.targetWidth();
    float[] targets = data.targets() == null ? null : new float[indices.length * tw];
    for (int k = 0; k < indices.length; k++) {
      int i = indices[k];
      System.arraycopy(data.features(), i * fs, x, k * fs, fs);
      if (labels != null) {
        labels[k] = data.labels()[i];
      }
      if (targets != null) {
        System.arraycopy(data.targets(), i * tw, targets, k * tw, tw);
      }
    }
    return new Batch(x, labels, targets, indices.length, data.exampleShape().clone(), indices.clone());
  }

  /** The batch tensor's shape, {@code [size, exampleShape...]}. */
  public long[] shape() {
    long[] s = new long[exampleShape.length + 1];
    s[0] = size;
    for (int i = 0; i < exampleShape.length; i++) {
      s[i + 1] = exampleShape[i];
    }
    return s;
  }
}
