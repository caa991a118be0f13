package org.hesspec.experiments.config;

/**
 * An enum whose constants are written in the experiment file (and in result tables) under a
 * fixed name, e.g. {@code cross_entropy} or {@code G}.
 */
public interface YamlEnum {

  /** The name used in the experiment file, {@code run.json} and the CSV tables. */
  String yamlName();
}
