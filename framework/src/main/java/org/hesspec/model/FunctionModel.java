package org.hesspec.model;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.family.TFloating;

/**
 * Builds a {@link ModelDefinition} directly from Java code: the network is written as a function
 * of an input placeholder {@code x} and one placeholder per parameter tensor, the form the
 * importer produces from a SavedModel. Used for benchmarks and exact tests.
 */
public final class FunctionModel {

  private FunctionModel() {}

  /** The network's ops given the input and the parameter placeholders (in layout order). */
  @FunctionalInterface
  public interface Body {
    Operand<TFloating> build(Ops tf, Operand<TFloating> x, List<Operand<TFloating>> params);
  }

  /**
   * @param layout names and shapes of the parameter tensors, in theta order
   * @param theta their values
   * @param exampleShape shape of one input example
   * @param classes width of the output
   */
  @SuppressWarnings("unchecked")
  public static ModelDefinition build(String name, ParameterLayout layout, double[] theta, long[] exampleShape, int classes,
      Precision precision, OutputKind kind, Body body) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Class<TFloating> type = (Class<TFloating>) precision.tensorType();
      long[] xs = new long[exampleShape.length + 1];
      xs[0] = -1;
      System.arraycopy(exampleShape, 0, xs, 1, exampleShape.length);
      Placeholder<TFloating> x = tf.withName("x").placeholder(type, Placeholder.shape(Shape.of(xs)));
      Ops paramScope = tf.withSubScope("hesspec").withSubScope("param");
      List<Operand<TFloating>> params = new ArrayList<>();
      for (int k = 0; k < layout.tensors().size(); k++) {
        params.add(paramScope.withName(Integer.toString(k)).placeholder(type, Placeholder.shape(Shape.of(layout.tensors().get(k).shape()))));
      }
      tf.withName("logits").identity(body.build(tf, x, params));
      return new ModelDefinition(name, g.toGraphDef(), "x:0", "logits:0", kind, precision, layout, theta, exampleShape.clone(), classes);
    }
  }
}
