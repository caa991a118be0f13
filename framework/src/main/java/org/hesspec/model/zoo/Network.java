package org.hesspec.model.zoo;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A network added to a graph by {@link NetworkBuilder}: its input, outputs and state. The graph
 * owns every object referenced here; a {@code Network} is only a map of it.
 *
 * @param x the input placeholder (op {@code x}), {@code [batch, ...inputShape]}
 * @param logits inference-mode logits (op {@code logits}): batch norm uses its moving statistics
 * @param trainingLogits training-mode logits: batch norm uses the statistics of the batch. For
 *     networks without batch norm, and in serving graphs, the same tensor as {@code logits}
 * @param parameters the trainable tensors in construction (layer) order
 * @param statistics batch-norm moving statistics, in construction order (empty without batch norm)
 * @param statisticUpdates ops that move the statistics towards those of the current batch; run
 *     with each training step (empty in serving graphs and networks without batch norm)
 */
public record Network(
    Placeholder<TFloat32> x,
    Operand<TFloat32> logits,
    Operand<TFloat32> trainingLogits,
    List<Parameter> parameters,
    List<Statistic> statistics,
    List<Op> statisticUpdates) {

  public Network {
    parameters = List.copyOf(parameters);
    statistics = List.copyOf(statistics);
    statisticUpdates = List.copyOf(statisticUpdates);
  }

  /**
   * A trainable parameter: its spec and its {@code VariableV2} op (named {@code spec.name()}).
   */
  public record Parameter(ParameterSpec spec, Variable<TFloat32> variable) {}

  /**
   * A batch-norm moving statistic. In a training graph it is a {@code VariableV2} (updated by
   * {@link Network#statisticUpdates()}, never by the optimizer); in a serving graph it is a
   * {@code Const} op of the same name, so that the only variables a serving graph holds are the
   * parameters theta.
   *
   * @param name e.g. {@code stem/bn/moving_mean}
   * @param shape [channels]
   * @param initialValue 0 for means, 1 for variances
   * @param variable the variable in a training graph; null in a serving graph
   */
  public record Statistic(String name, long[] shape, float initialValue, Variable<TFloat32> variable) {
    public Statistic {
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
      return (int) n;
    }
  }

  /** The parameter specs, in construction order. */
  public List<ParameterSpec> parameterSpecs() {
    return parameters.stream().map(Parameter::spec).toList();
  }

  /** p, the total number of trainable scalars. */
  public long parameterCount() {
    long p = 0;
    for (Parameter q : parameters) {
      p += q.spec().size();
    }
    return p;
  }
}
