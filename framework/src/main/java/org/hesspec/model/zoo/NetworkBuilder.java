package org.hesspec.model.zoo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Adds a network described by an {@link Architecture} to a {@link Graph}.
 *
 * <p>Two kinds of graph:
 *
 * <ul>
 *   <li>{@link #training}: input {@code x}, a training-mode forward path (ops under {@code train/};
 *       batch norm with batch statistics, plus update ops for the moving statistics) and an
 *       inference-mode path (ops under {@code eval/}, output {@code logits}), sharing the same
 *       parameter variables; moving statistics are variables.
 *   <li>{@link #serving}: input {@code x} and output {@code logits} only, inference mode; the
 *       moving statistics are constants, so the only {@code VariableV2} ops are the parameters.
 * </ul>
 *
 * <p>Parameters are {@code VariableV2} ops named as the architecture records document, without
 * initialisers (see {@link ParameterStore}); their initial values come from
 * {@link ParameterSpec#init()}. The graph is float32 throughout.
 */
public final class NetworkBuilder {
  private NetworkBuilder() {}

  /** Name of the input placeholder. */
  public static final String INPUT = "x";
  /** Name of the (inference-mode) logits op. */
  public static final String OUTPUT = "logits";

  /** Adds a training graph: both forward paths, statistics as variables. */
  public static Network training(Graph graph, Architecture arch) {
    Ops tf = Ops.create(graph);
    ParameterStore store = new ParameterStore(graph, tf.scope(), null);
    Placeholder<TFloat32> x = input(tf, arch);
    List<Op> updates = new ArrayList<>();
    Operand<TFloat32> train = forward(arch, new Layers(tf.withSubScope("train"), "", store, Layers.Mode.TRAINING, updates), x);
    Operand<TFloat32> eval = forward(arch, new Layers(tf.withSubScope("eval"), "", store, Layers.Mode.INFERENCE, new ArrayList<>()), x);
    Operand<TFloat32> logits = tf.withName(OUTPUT).identity(eval);
    Operand<TFloat32> trainingLogits = store.statistics().isEmpty() ? logits : tf.withName("training_logits").identity(train);
    return new Network(x, logits, trainingLogits, store.parameters(), store.statistics(), updates);
  }

  /**
   * Adds a serving graph: inference mode only, with the given moving statistics baked in as
   * constants (an empty map for networks without batch norm).
   */
  public static Network serving(Graph graph, Architecture arch, Map<String, float[]> statistics) {
    Ops tf = Ops.create(graph);
    ParameterStore store = new ParameterStore(graph, tf.scope(), Map.copyOf(statistics));
    Placeholder<TFloat32> x = input(tf, arch);
    Operand<TFloat32> out = forward(arch, new Layers(tf, "", store, Layers.Mode.INFERENCE, new ArrayList<>()), x);
    Operand<TFloat32> logits = tf.withName(OUTPUT).identity(out);
    if (store.statistics().size() != statistics.size()) {
      throw new IllegalArgumentException(arch.kind() + " has " + store.statistics().size()
          + " batch-norm statistics but " + statistics.size() + " values were given");
    }
    return new Network(x, logits, logits, store.parameters(), store.statistics(), List.of());
  }

  /**
   * The parameter specs of an architecture, in construction order, without keeping a graph.
   * (Builds a throw-away graph: cheap, no parameter values are allocated.)
   */
  public static List<ParameterSpec> parameterSpecs(Architecture arch) {
    try (Graph g = new Graph()) {
      return training(g, arch).parameterSpecs();
    }
  }

  /** p, the number of trainable scalars of an architecture. */
  public static long parameterCount(Architecture arch) {
    long p = 0;
    for (ParameterSpec s : parameterSpecs(arch)) {
      p += s.size();
    }
    return p;
  }

  private static Placeholder<TFloat32> input(Ops tf, Architecture arch) {
    long[] dims = new long[arch.inputShape().size() + 1];
    dims[0] = -1;
    for (int i = 0; i < arch.inputShape().size(); i++) {
      dims[i + 1] = arch.inputShape().get(i);
    }
    return tf.withName(INPUT).placeholder(TFloat32.class, Placeholder.shape(Shape.of(dims)));
  }

  private static Operand<TFloat32> forward(Architecture arch, Layers layers, Operand<TFloat32> x) {
    if (arch instanceof Mlp m) {
      return MlpGraph.logits(m, layers, x);
    } else if (arch instanceof LeNet n) {
      return LeNetGraph.logits(n, layers, x);
    } else if (arch instanceof Vgg11 v) {
      return Vgg11Graph.logits(v, layers, x);
    } else if (arch instanceof ResNet18 r) {
      return ResNet18Graph.logits(r, layers, x);
    }
    throw new IllegalArgumentException("unknown architecture " + arch);
  }
}
