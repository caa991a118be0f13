package org.hesspec.experiments.config;

/**
 * An enum whose constants are written in the experiment file (and in result tables) under a
 * fixed name, e.g. {@code cross_entropy} or {@code G}.
 */
public interface YamlEnum {

  /** The name used in the experiment file, {@code run.json} and the CSV tables. */
  /** The enum constant's name in lower case, unless the enum says otherwise. */
  default String yamlName() {
    return ((Enum<?>) this).name().toLowerCase(java.util.Locale.ROOT);
  }
}
