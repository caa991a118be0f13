package org.hesspec.experiments.config;

/**
 * A scalar with the type YAML's core schema resolved for it (a quoted {@code "3"} is a string,
 * a plain {@code 3} an integer).
 */
record YamlScalar(String text, Kind kind, Origin origin) implements YamlValue {

  /** The core-schema types that matter for an experiment file. */
  enum Kind {
    STRING, INT, FLOAT, BOOL, NULL
  }

  @Override
  public String describe() {
    return switch (kind) {
      case STRING -> "the string '" + text + "'";
      case INT -> "the integer " + text;
      case FLOAT -> "the number " + text;
      case BOOL -> "the boolean " + text;
      case NULL -> "an empty value (null)";
    };
  }

  @Override
  public String flowText() {
    return kind == Kind.NULL ? "null" : text;
  }
}
