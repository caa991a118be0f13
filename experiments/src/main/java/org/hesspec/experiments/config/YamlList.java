package org.hesspec.experiments.config;

import java.util.List;
import java.util.stream.Collectors;

/** A YAML sequence. */
record YamlList(List<YamlValue> items, Origin origin) implements YamlValue {

  YamlList {
    items = List.copyOf(items);
  }

  @Override
  public String describe() {
    return "a list";
  }

  @Override
  public String flowText() {
    return items.stream().map(YamlValue::flowText).collect(Collectors.joining(", ", "[", "]"));
  }
}
