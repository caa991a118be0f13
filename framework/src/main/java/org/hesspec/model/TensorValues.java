package org.hesspec.model;

import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/** Copies between Java arrays and TensorFlow tensors; one bulk copy each way, no per-element calls. */
public final class TensorValues {

  private TensorValues() {}

  /** A new float tensor of {@code precision} holding {@code values[from, from + prod(shape))}. */
  public static TFloating of(double[] values, int from, Shape shape, Precision precision) {
    int n = Math.toIntExact(shape.size());
    if (precision == Precision.FLOAT64) {
      return TFloat64.tensorOf(shape, DataBuffers.of(values, true, false).slice(from, n));
    }
    float[] f = new float[n];
    for (int i = 0; i < n; i++) {
      f[i] = (float) values[from + i];
    }
    return TFloat32.tensorOf(shape, DataBuffers.of(f, true, false));
  }

  /** A new float tensor of {@code precision} holding {@code values[from, from + prod(shape))}. */
  public static TFloating of(float[] values, int from, Shape shape, Precision precision) {
    int n = Math.toIntExact(shape.size());
    if (precision == Precision.FLOAT32) {
      return TFloat32.tensorOf(shape, DataBuffers.of(values, true, false).slice(from, n));
    }
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      d[i] = values[from + i];
    }
    return TFloat64.tensorOf(shape, DataBuffers.of(d, true, false));
  }

  /** A new int32 tensor holding {@code values[from, from + prod(shape))}. */
  public static TInt32 ofInts(int[] values, int from, Shape shape) {
    int n = Math.toIntExact(shape.size());
    return TInt32.tensorOf(shape, DataBuffers.of(values, true, false).slice(from, n));
  }

  /** Copies a float32 or float64 tensor into {@code out[at, at + size)}. */
  public static void copyTo(Tensor t, double[] out, int at) {
    int n = Math.toIntExact(t.shape().size());
    if (t.dataType() == DataType.DT_DOUBLE) {
      ((TFloat64) t).copyTo(DataBuffers.of(out, false, false).slice(at, n));
    } else if (t.dataType() == DataType.DT_FLOAT) {
      float[] f = new float[n];
      ((TFloat32) t).copyTo(DataBuffers.of(f, false, false));
      for (int i = 0; i < n; i++) {
        out[at + i] = f[i];
      }
    } else {
      throw new IllegalArgumentException("expected a float32 or float64 tensor, found " + t.dataType());
    }
  }

  /** The values of a float32 or float64 tensor as doubles. */
  public static double[] toDoubles(Tensor t) {
    double[] out = new double[Math.toIntExact(t.shape().size())];
    copyTo(t, out, 0);
    return out;
  }

  /**
   * Fetches {@code parts} (one per tensor of {@code layout}, in its order) in one session run and
   * lays them out as one vector, each at its tensor's offset.
   */
  public static double[] fetchVector(org.tensorflow.Session session, java.util.List<? extends org.tensorflow.Operand<?>> parts,
      ParameterLayout layout) {
    double[] out = new double[Math.toIntExact(layout.dimension())];
    fetchVector(session, parts, layout, out);
    return out;
  }

  /** As {@link #fetchVector(org.tensorflow.Session, java.util.List, ParameterLayout)}, into {@code out} (length p). */
  public static void fetchVector(org.tensorflow.Session session, java.util.List<? extends org.tensorflow.Operand<?>> parts,
      ParameterLayout layout, double[] out) {
    org.tensorflow.Session.Runner r = session.runner();
    parts.forEach(r::fetch);
    try (org.tensorflow.Result res = r.run()) {
      for (int s = 0; s < parts.size(); s++) {
        copyTo(res.get(s), out, (int) layout.tensors().get(s).offset());
      }
    }
  }
}
