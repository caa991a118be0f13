package org.hesspec.model.grad;

import java.util.Arrays;
import org.tensorflow.Graph;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;

/**
 * Builds the Hessian-vector product of a scalar by Pearlmutter's trick, two reverse passes:
 *
 * <pre>
 *   g = dL/d theta                       (first addGradients, seed dL/dL = 1)
 *   H v = d/d theta &lt;g, v&gt;            (second addGradients of g, seeded with v)
 * </pre>
 *
 * The second call passes {@code v} as the initial gradients of the outputs {@code g}, which is
 * exactly {@code d(sum_k <g_k, v_k>)/d theta} without building the inner product. The first call
 * passes an explicit constant 1 as the seed: without one TensorFlow seeds with
 * {@code OnesLike(L)}, an op without a C++ gradient (registered here anyway, as zero).
 *
 * <p>Calls {@link SecondOrderGradients#ensureRegistered()} first.
 *
 * @param gradients {@code dL/d theta_k}, one per parameter tensor
 * @param products {@code (H v)_k}, one per parameter tensor, same shapes
 */
public record HessianVectorProduct(Output<?>[] gradients, Output<?>[] products) {

  /**
   * Adds gradient and Hessian-vector-product ops to {@code graph}.
   *
   * @param graph the graph holding {@code loss}
   * @param loss a scalar of a floating dtype
   * @param params the tensors to differentiate by (placeholders, variable reads)
   * @param vectors one tensor per parameter, same dtype and shape (typically placeholders)
   * @param prefix a name prefix unique in the graph, or null to let TensorFlow choose
   */
  public static HessianVectorProduct build(
      Graph graph, Output<?> loss, Output<?>[] params, Output<?>[] vectors, String prefix) {
    if (params.length != vectors.length) {
      throw new IllegalArgumentException(
          params.length + " parameter tensors but " + vectors.length + " vectors");
    }
    SecondOrderGradients.ensureRegistered();
    Ops tf = Ops.create(graph);
    if (prefix != null) {
      tf = tf.withSubScope(prefix);
    }
    Output<?> one = RawOps.scalar(tf.withName("seed"), 1.0, loss.dataType());
    Output<?>[] grads =
        SecondOrderGradients.addGradients(
            graph,
            prefix == null ? null : prefix + "/grad",
            new Output<?>[] {loss},
            params,
            new Output<?>[] {one});
    Output<?>[] hv =
        SecondOrderGradients.addGradients(
            graph, prefix == null ? null : prefix + "/hvp", grads, params, vectors);
    return new HessianVectorProduct(grads, hv);
  }

  /** Shorthand for one parameter tensor. */
  public static HessianVectorProduct build(
      Graph graph, Output<?> loss, Output<?> param, Output<?> vector) {
    return build(graph, loss, new Output<?>[] {param}, new Output<?>[] {vector}, null);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HessianVectorProduct h
        && Arrays.equals(gradients, h.gradients)
        && Arrays.equals(products, h.products);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(gradients) + Arrays.hashCode(products);
  }

  @Override
  public String toString() {
    return "HessianVectorProduct[gradients="
        + Arrays.toString(gradients)
        + ", products="
        + Arrays.toString(products)
        + "]";
  }
}
