package org.hesspec.model.train;

import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Copies between Java arrays and TensorFlow tensors (the caller closes the tensors). */
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
}
