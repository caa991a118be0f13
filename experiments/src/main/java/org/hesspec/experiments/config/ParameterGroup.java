package org.hesspec.experiments.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A named subset of the model's parameter tensors: those whose name (as {@code hesspec inspect}
 * prints it) matches at least one of the regexes completely.
 *
 * @param name label of the group in results [all for the default group, group1, group2, ... otherwise]
 * @param include regexes, already checked to compile
 */
public record ParameterGroup(String name, List<String> include) {

  public ParameterGroup {
    Objects.requireNonNull(name, "name");
    include = List.copyOf(include);
  }

  /** The group that keeps every parameter tensor. */
  public static ParameterGroup all() {
    return new ParameterGroup(ModelConfig.ALL_PARAMETERS, List.of(".*"));
  }

  /** Whether a parameter tensor of this name belongs to the group (a full match of some regex). */
  public boolean matches(String tensorName) {
    // Compiled on demand: records keep plain strings so that equals and run.json stay simple.
    return include.stream().anyMatch(r -> Pattern.compile(r).matcher(tensorName).matches());
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("include", include);
    return m;
  }
}
