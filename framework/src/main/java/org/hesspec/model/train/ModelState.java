package org.hesspec.model.train;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hesspec.model.zoo.Architecture;
import org.hesspec.model.zoo.Network;
import org.hesspec.model.zoo.NetworkBuilder;
import org.hesspec.model.zoo.ParameterSpec;

/**
 * All values that define a network's function besides its architecture: the trainable parameters
 * (construction order) and the batch-norm moving statistics (empty for networks without batch norm).
 *
 * @param parameters the parameters theta, in the construction order of {@link NetworkBuilder}
 * @param statistics the moving statistics, in construction order
 */
public record ModelState(List<NamedTensor> parameters, List<NamedTensor> statistics) {

  public ModelState {
    parameters = List.copyOf(parameters);
    statistics = List.copyOf(statistics);
  }

  /** The seeded initial state of an architecture: parameters from their {@link ParameterSpec#init()}, means 0, variances 1. */
  public static ModelState initial(Architecture arch, long seed) {
    try (org.tensorflow.Graph g = new org.tensorflow.Graph()) {
      return initial(NetworkBuilder.training(g, arch), seed);
    }
  }

  /** The seeded initial state of a built network. */
  public static ModelState initial(Network net, long seed) {
    List<NamedTensor> p = new ArrayList<>();
    for (Network.Parameter q : net.parameters()) {
      ParameterSpec s = q.spec();
      p.add(new NamedTensor(s.name(), s.shape(), s.init().values(s.name(), s.size(), seed)));
    }
    List<NamedTensor> st = new ArrayList<>();
    for (Network.Statistic s : net.statistics()) {
      float[] v = new float[s.size()];
      java.util.Arrays.fill(v, s.initialValue());
      st.add(new NamedTensor(s.name(), s.shape(), v));
    }
    return new ModelState(p, st);
  }

  /** p, the number of trainable scalars. */
  public long parameterCount() {
    long n = 0;
    for (NamedTensor t : parameters) {
      n += t.values().length;
    }
    return n;
  }

  /** The parameters sorted by name (the order in which a reader of the SavedModel may list them). */
  public List<NamedTensor> parametersByName() {
    List<NamedTensor> sorted = new ArrayList<>(parameters);
    sorted.sort(Comparator.comparing(NamedTensor::name));
    return sorted;
  }

  /** theta as one vector: the given tensors' values concatenated. */
  public static float[] flatten(List<NamedTensor> tensors) {
    long n = 0;
    for (NamedTensor t : tensors) {
      n += t.values().length;
    }
    float[] out = new float[Math.toIntExact(n)];
    int at = 0;
    for (NamedTensor t : tensors) {
      System.arraycopy(t.values(), 0, out, at, t.values().length);
      at += t.values().length;
    }
    return out;
  }

  /** The statistics by name (what {@link NetworkBuilder#serving} needs). */
  public Map<String, float[]> statisticsByName() {
    Map<String, float[]> m = new LinkedHashMap<>();
    for (NamedTensor t : statistics) {
      m.put(t.name(), t.values());
    }
    return m;
  }
}
