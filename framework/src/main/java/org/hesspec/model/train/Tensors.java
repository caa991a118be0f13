package org.hesspec.model.train;

import org.hesspec.data.Dataset;
import org.hesspec.model.zoo.Network;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Copies between Java arrays and TensorFlow tensors (the caller closes the tensors), and the
 * batched logits run shared by the training graph and the inference model.
 */
final class Tensors {
  private Tensors() {}

  static TFloat32 floats(float[] values, long[] shape) {
    return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false));
  }

  /** A batch [n, ...exampleShape] taken from {@code n * exampleSize} values starting at example {@code from}. */
  static TFloat32 batch(float[] features, int[] exampleShape, int from, int n) {
    int size = 1;
    long[] shape = new long[exampleShape.length + 1];
    shape[0] = n;
    for (int i = 0; i < exampleShape.length; i++) {
      shape[i + 1] = exampleShape[i];
      size *= exampleShape[i];
    }
    float[] slice = new float[n * size];
    System.arraycopy(features, from * size, slice, 0, n * size);
    return floats(slice, shape);
  }

  static TInt32 ints(int[] values) {
    return TInt32.tensorOf(Shape.of(values.length), DataBuffers.of(values, true, false));
  }

  static float[] read(Tensor t) {
    if (!(t instanceof TFloat32 f)) {
      throw new IllegalArgumentException("expected a float32 tensor, got " + t.dataType());
    }
    float[] out = new float[Math.toIntExact(f.shape().size())];
    f.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  /**
   * Inference-mode logits [n, C] of a data set, row-major: {@code net.logits()} fetched in
   * {@code session} with {@code net.x()} fed in batches of {@code batchSize}.
   */
  static float[] logits(Session session, Network net, Dataset data, int batchSize, int numClasses) {
    int n = data.size();
    float[] out = new float[n * numClasses];
    for (int from = 0; from < n; from += batchSize) {
      int m = Math.min(batchSize, n - from);
      try (TFloat32 x = batch(data.features(), data.exampleShape(), from, m);
          Result r = session.runner().feed(net.x(), x).fetch(net.logits()).run()) {
        float[] part = read(r.get(0));
        System.arraycopy(part, 0, out, from * numClasses, part.length);
      }
    }
    return out;
  }
}
