package org.hesspec.model;

import java.util.Arrays;

/**
 * One trainable tensor of a model, as a slice of the flat parameter vector theta.
 *
 * @param name the variable's name in the SavedModel (what {@code hesspec inspect} prints)
 * @param shape the tensor's shape
 * @param offset index of its first element in theta
 */
public record ParameterTensor(String name, long[] shape, long offset) {

  /** Number of elements, the product of the shape. */
  public long size() {
    long s = 1;
    for (long d : shape) {
      s *= d;
    }
    return s;
  }

  @Override
  public String toString() {
    return name + Arrays.toString(shape);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ParameterTensor t && t.name.equals(name) && Arrays.equals(t.shape, shape) && t.offset == offset;
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(shape);
  }
}
