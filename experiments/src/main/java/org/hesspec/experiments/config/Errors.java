package org.hesspec.experiments.config;

import java.util.ArrayList;
import java.util.List;

/** Collects {@link ConfigError}s so that validation can go on after the first problem. */
final class Errors {

  private final List<ConfigError> list = new ArrayList<>();

  /** Records a problem with the value at {@code keyPath}, which came from {@code origin}. */
  void add(Origin origin, String keyPath, String message) {
    list.add(new ConfigError(origin.file(), keyPath, origin.line(), message + origin.suffix()));
  }

  void addAll(List<ConfigError> errors) {
    list.addAll(errors);
  }

  boolean isEmpty() {
    return list.isEmpty();
  }

  int size() {
    return list.size();
  }

  List<ConfigError> list() {
    return List.copyOf(list);
  }
}
