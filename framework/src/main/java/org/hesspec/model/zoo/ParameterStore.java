package org.hesspec.model.zoo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.op.Scope;
import org.tensorflow.op.core.Variable;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;

/**
 * Creates and remembers a network's state tensors by full name, so that two forward paths (the
 * training-mode and the inference-mode one) share the same variables.
 *
 * <p>Variables are created as raw {@code VariableV2} ops with their exact names (TF Java's name
 * scopes would rename a second use of a scope {@code x} to {@code x_1}). They have no initialiser
 * op on purpose: the trainer assigns seeded values from Java, and a loaded SavedModel gets its
 * values from the checkpoint; an initialiser in the graph could only be run by mistake and
 * silently overwrite trained values.
 */
final class ParameterStore {

  private final Graph graph;
  private final Scope scope;
  /** Values of the moving statistics for a serving graph (as constants); null: statistics are variables. */
  private final Map<String, float[]> frozenStatistics;
  private final Map<String, Network.Parameter> parameters = new LinkedHashMap<>();
  private final Map<String, Network.Statistic> statistics = new LinkedHashMap<>();
  private final Map<String, Operand<TFloat32>> statisticValues = new LinkedHashMap<>();

  ParameterStore(Graph graph, Scope scope, Map<String, float[]> frozenStatistics) {
    this.graph = graph;
    this.scope = scope;
    this.frozenStatistics = frozenStatistics;
  }

  /** The variable {@code name}, created on first use. */
  Variable<TFloat32> parameter(String name, long[] shape, Init init) {
    Network.Parameter existing = parameters.get(name);
    if (existing != null) {
      if (!Arrays.equals(existing.spec().shape(), shape)) {
        throw new IllegalStateException(name + " requested with shape " + Arrays.toString(shape)
            + " but exists with " + Arrays.toString(existing.spec().shape()));
      }
      return existing.variable();
    }
    Variable<TFloat32> v = newVariable(name, shape);
    parameters.put(name, new Network.Parameter(new ParameterSpec(name, shape, init), v));
    return v;
  }

  /** The moving statistic {@code name}: a variable in a training graph, a constant in a serving graph. */
  Operand<TFloat32> statistic(String name, long[] shape, float initialValue) {
    Operand<TFloat32> existing = statisticValues.get(name);
    if (existing != null) {
      return existing;
    }
    Operand<TFloat32> value;
    Variable<TFloat32> variable = null;
    if (frozenStatistics == null) {
      variable = newVariable(name, shape);
      value = variable;
    } else {
      float[] v = frozenStatistics.get(name);
      if (v == null) {
        throw new IllegalArgumentException("no value given for the batch-norm statistic " + name);
      }
      if (v.length != Shape.of(shape).size()) {
        throw new IllegalArgumentException(name + " has " + v.length + " values, its shape " + Arrays.toString(shape) + " needs " + Shape.of(shape).size());
      }
      try (TFloat32 t = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(v, true, false))) {
        value = graph.opBuilder("Const", name, scope).setAttr("dtype", DataType.DT_FLOAT).setAttr("value", t)
            .build().output(0);
      }
    }
    statistics.put(name, new Network.Statistic(name, shape, initialValue, variable));
    statisticValues.put(name, value);
    return value;
  }

  /** The variable behind a statistic (training graphs only). */
  Variable<TFloat32> statisticVariable(String name) {
    Network.Statistic s = statistics.get(name);
    if (s == null || s.variable() == null) {
      throw new IllegalStateException(name + " is not a statistic variable of this graph");
    }
    return s.variable();
  }

  List<Network.Parameter> parameters() {
    return new ArrayList<>(parameters.values());
  }

  List<Network.Statistic> statistics() {
    return new ArrayList<>(statistics.values());
  }

  private Variable<TFloat32> newVariable(String name, long[] shape) {
    return new Variable<>(graph.opBuilder(Variable.OP_NAME, name, scope)
        .setAttr("shape", Shape.of(shape))
        .setAttr("dtype", DataType.DT_FLOAT)
        .build());
  }
}
