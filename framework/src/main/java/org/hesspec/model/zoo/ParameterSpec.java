package org.hesspec.model.zoo;

import java.util.Arrays;

/**
 * One trainable parameter tensor of a network: its variable name (also the name of the
 * {@code VariableV2} op in the graph and of the checkpoint entry), shape and initialisation.
 *
 * @param name e.g. {@code dense_0/kernel}
 * @param shape the tensor's shape (a copy is kept and returned)
 * @param init how its initial values are drawn
 */
public record ParameterSpec(String name, long[] shape, Init init) {

  public ParameterSpec {
    shape = shape.clone();
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** Number of scalar values. */
  public int size() {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    if (n > Integer.MAX_VALUE) {
      throw new IllegalStateException(name + " has more than 2^31 values");
    }
    return (int) n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ParameterSpec p && p.name.equals(name) && Arrays.equals(p.shape, shape) && p.init.equals(init);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + Arrays.toString(shape);
  }
}
