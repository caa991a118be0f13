package org.hesspec.experiments.config;

/**
 * The experiment file as a small immutable tree, each value with its {@link Origin}. Built from
 * snakeyaml-engine's node tree so that binding, {@code --set} overrides and sweeps work on
 * plain Java values but can still name the line of everything.
 */
sealed interface YamlValue permits YamlMap, YamlList, YamlScalar {

  Origin origin();

  /** How the value reads in an error message: "a list", "the string 'abc'", ... */
  String describe();

  /** Compact flow text ({@code 10}, {@code [1, 2]}, {@code {k: v}}), used as the sweep label. */
  String flowText();
}
