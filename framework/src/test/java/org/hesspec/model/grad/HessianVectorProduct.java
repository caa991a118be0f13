package org.hesspec.model.grad;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.tensorflow.GraphOperation;
import org.tensorflow.Graph;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;

/**
 * The op-level tests' Hessian-vector product of a scalar of a flat theta, by Pearlmutter's trick, two
 * reverse passes. Kept in test sources on purpose, as the harness of the tests of this package, not as a
 * second product of hesspec: the products a run uses are built by {@code org.hesspec.curvature.ProductOps}
 * (through {@code CurvatureGraph} and {@code CurvatureOperator.HESSIAN}), which needs a whole model (a
 * {@code ModelDefinition} with its loss, mini-batches and per-example weights) and is tested against dense
 * matrices in {@code org.hesspec.curvature}. The tests here check the second derivatives of single ops and
 * small compositions ({@link SecondOrderGradients}, {@link GradientFunctions}) against finite differences,
 * on graphs that are no model; this minimal builder, free of the batching, caching and resident-theta
 * machinery of {@code ProductOps}, lets a wrong derivative be blamed on its op rather than on the assembly.
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
 * <p>A parameter the loss does not depend on gets zero gradient and product; one whose gradient
 * depends on no parameter (it enters linearly) gets a zero product; TensorFlow itself would refuse
 * both. Calls {@link SecondOrderGradients#ensureRegistered()} first.
 *
 * @param gradients {@code dL/d theta_k}, one per parameter tensor
 * @param products {@code (H v)_k}, one per parameter tensor, same shapes
 */
record HessianVectorProduct(Output<?>[] gradients, Output<?>[] products) {

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
    Output<?>[] grads = new Output<?>[params.length];
    Output<?>[] hv = new Output<?>[params.length];

    // TensorFlow refuses to differentiate by a tensor the output does not depend on; such a
    // parameter has zero gradient (first pass) or a gradient that does not depend on it (second
    // pass, e.g. a parameter that enters linearly), and zeros are the exact answer.
    int[] live = reachable(params, List.of(loss));
    Output<?> one = RawOps.scalar(tf.withName("seed"), 1.0, loss.dataType());
    Output<?>[] liveGrads =
        SecondOrderGradients.addGradients(
            graph,
            prefix == null ? null : prefix + "/grad",
            new Output<?>[] {loss},
            select(params, live),
            new Output<?>[] {one});
    for (int i = 0; i < params.length; i++) {
      grads[i] = RawOps.zerosLike(tf, params[i]);
      hv[i] = grads[i];
    }
    for (int k = 0; k < live.length; k++) {
      grads[live[k]] = liveGrads[k];
    }
    int[] curved = reachable(params, Arrays.asList(liveGrads));
    if (curved.length > 0) {
      Output<?>[] liveHv =
          SecondOrderGradients.addGradients(
              graph,
              prefix == null ? null : prefix + "/hvp",
              liveGrads,
              select(params, curved),
              select(vectors, live));
      for (int k = 0; k < curved.length; k++) {
        hv[curved[k]] = liveHv[k];
      }
    }
    return new HessianVectorProduct(grads, hv);
  }

  /** Indices of the {@code xs} whose op has a data path to one of {@code ys}. */
  private static int[] reachable(Output<?>[] xs, List<Output<?>> ys) {
    Set<GraphOperation> ancestors = GraphPaths.ancestors(ys);
    return IntStream.range(0, xs.length)
        .filter(i -> ancestors.contains((GraphOperation) xs[i].op()))
        .toArray();
  }

  private static Output<?>[] select(Output<?>[] a, int[] idx) {
    Output<?>[] r = new Output<?>[idx.length];
    for (int k = 0; k < idx.length; k++) {
      r[k] = a[idx[k]];
    }
    return r;
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
