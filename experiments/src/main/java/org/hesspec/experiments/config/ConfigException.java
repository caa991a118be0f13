package org.hesspec.experiments.config;

import java.util.List;

/**
 * Every problem found in an experiment file (and its {@code --set} overrides), collected so the
 * user can fix them all in one pass. The message is meant to be printed as is, without a stack
 * trace.
 */
public final class ConfigException extends Exception {

  private static final long serialVersionUID = 1L;

  private final transient List<ConfigError> errors;

  /** @param errors at least one error, in the order they should be shown */
  public ConfigException(List<ConfigError> errors) {
    super(format(errors), null, false, false);
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one error");
    }
    this.errors = List.copyOf(errors);
  }

  /** The individual problems, in display order. */
  public List<ConfigError> errors() {
    return errors;
  }

  private static String format(List<ConfigError> errors) {
    if (errors.size() == 1) {
      return errors.get(0).toString();
    }
    StringBuilder s = new StringBuilder();
    s.append(errors.size()).append(" errors in ").append(errors.get(0).file()).append(':');
    for (ConfigError e : errors) {
      s.append(System.lineSeparator()).append("  ").append(e);
    }
    return s.toString();
  }
}
