package org.hesspec.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The fixed flattening of a model's trainable tensors into theta in {@code R^p}: tensors in the
 * order they appear in the model's graph, each flattened row-major (C order), concatenated.
 */
public record ParameterLayout(List<ParameterTensor> tensors) {

  public ParameterLayout {
    tensors = List.copyOf(tensors);
    long expected = 0;
    for (ParameterTensor t : tensors) {
      if (t.offset() != expected) {
        throw new IllegalArgumentException("parameter " + t.name() + " at offset " + t.offset() + ", expected " + expected);
      }
      expected += t.size();
    }
  }

  /** Builds a layout from names and shapes in the given order. */
  public static ParameterLayout of(List<String> names, List<long[]> shapes) {
    List<ParameterTensor> ts = new ArrayList<>();
    long off = 0;
    for (int i = 0; i < names.size(); i++) {
      ParameterTensor t = new ParameterTensor(names.get(i), shapes.get(i).clone(), off);
      ts.add(t);
      off += t.size();
    }
    return new ParameterLayout(ts);
  }

  /** p, the total number of parameters. */
  public long dimension() {
    long p = 0;
    for (ParameterTensor t : tensors) {
      p += t.size();
    }
    return p;
  }

  /**
   * The sub-layout of the tensors whose name matches any of {@code includes} (full-match regular
   * expressions, as in the experiment file's {@code model.parameters.include}); offsets are
   * renumbered within the selection. An empty collection selects every tensor.
   *
   * @throws IllegalArgumentException if a pattern matches no tensor (names the pattern and lists the names)
   */
  public ParameterLayout select(Collection<String> includes) {
    if (includes.isEmpty()) {
      return this;
    }
    List<Pattern> patterns = includes.stream().map(Pattern::compile).toList();
    for (Pattern p : patterns) {
      if (tensors.stream().noneMatch(t -> p.matcher(t.name()).matches())) {
        throw new IllegalArgumentException("parameter pattern '" + p + "' matches no parameter tensor; the tensors are "
            + tensors.stream().map(ParameterTensor::name).toList());
      }
    }
    List<String> names = new ArrayList<>();
    List<long[]> shapes = new ArrayList<>();
    for (ParameterTensor t : tensors) {
      if (patterns.stream().anyMatch(p -> p.matcher(t.name()).matches())) {
        names.add(t.name());
        shapes.add(t.shape());
      }
    }
    return of(names, shapes);
  }

  /** The tensor called {@code name}. */
  public ParameterTensor tensor(String name) {
    return tensors.stream().filter(t -> t.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no parameter tensor named '" + name + "'"));
  }
}
