package org.hesspec.experiments.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** A YAML mapping with string keys, in file order, duplicates already rejected. */
record YamlMap(List<Entry> entries, Origin origin) implements YamlValue {

  /** One key and its value; the key's origin is where unknown-key errors point. */
  record Entry(String key, Origin keyOrigin, YamlValue value) {}

  YamlMap {
    entries = List.copyOf(entries);
  }

  Optional<Entry> entry(String key) {
    return entries.stream().filter(e -> e.key().equals(key)).findFirst();
  }

  Optional<YamlValue> get(String key) {
    return entry(key).map(Entry::value);
  }

  /** A copy with {@code key} replaced in place, or appended when absent. */
  YamlMap with(String key, Origin keyOrigin, YamlValue value) {
    List<Entry> copy = new ArrayList<>(entries);
    for (int i = 0; i < copy.size(); i++) {
      if (copy.get(i).key().equals(key)) {
        // Keep the original key position and origin: the key is still where the file has it.
        copy.set(i, new Entry(key, copy.get(i).keyOrigin(), value));
        return new YamlMap(copy, origin);
      }
    }
    copy.add(new Entry(key, keyOrigin, value));
    return new YamlMap(copy, origin);
  }

  @Override
  public String describe() {
    return "a mapping";
  }

  @Override
  public String flowText() {
    return entries.stream()
        .map(e -> e.key() + ": " + e.value().flowText())
        .collect(Collectors.joining(", ", "{", "}"));
  }
}
