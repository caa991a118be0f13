package org.hesspec.model.train;

import java.util.Arrays;

/**
 * The value of one named float32 tensor held in Java memory (a parameter or a statistic).
 *
 * @param name the variable name, e.g. {@code dense_0/kernel}
 * @param shape its shape
 * @param values row-major values, {@code prod(shape)} of them
 */
public record NamedTensor(String name, long[] shape, float[] values) {

  public NamedTensor {
    shape = shape.clone();
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    if (n != values.length) {
      throw new IllegalArgumentException(name + ": " + values.length + " values for shape " + Arrays.toString(shape));
    }
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  @Override
  public boolean equals(Object o) {
    // Bit-for-bit comparison (floatToIntBits), the notion reproducibility tests need.
    return o instanceof NamedTensor t && t.name.equals(name) && Arrays.equals(t.shape, shape) && Arrays.equals(t.values, values);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return name + Arrays.toString(shape);
  }
}
