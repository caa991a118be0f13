package org.hesspec.experiments.config;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the keys of one mapping of the experiment file. Every key a binder asks for becomes a
 * known key; {@link #finish()} then reports the keys nobody asked for, suggesting the nearest
 * known one. Getters with defaults return the default when the key is absent or wrong (the error
 * is recorded), so binding always completes and collects every problem.
 */
final class MapReader {

  private final YamlMap map;
  private final String path;
  private final Convert convert;
  private final Set<String> known = new LinkedHashSet<>();
  // Set when the value was not a mapping at all: that error is reported, so its keys
  // should not also be reported missing.
  private final boolean broken;

  MapReader(YamlMap map, String path, Convert convert) {
    this(map, path, convert, false);
  }

  private MapReader(YamlMap map, String path, Convert convert, boolean broken) {
    this.map = map;
    this.path = path;
    this.convert = convert;
    this.broken = broken;
  }

  /** The mapping at {@code v} (null counts as empty); an empty, quiet reader after a type error. */
  static MapReader of(YamlValue v, String path, Convert convert) {
    Optional<YamlMap> map = convert.map(v, path);
    return map.map(m -> new MapReader(m, path, convert))
        .orElseGet(() -> new MapReader(new YamlMap(List.of(), v.origin()), path, convert, true));
  }

  YamlMap map() {
    return map;
  }

  /** Whether the value was not a mapping (already reported): nothing in it can be checked. */
  boolean broken() {
    return broken;
  }

  Convert convert() {
    return convert;
  }

  Errors errors() {
    return convert.errors();
  }

  /** The full key path of {@code key} in this mapping. */
  /** The path of this mapping itself, e.g. {@code analyses.density}. */
  String path() {
    return path;
  }

  String path(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** The value of {@code key}, marking the key as known. */
  Optional<YamlValue> get(String key) {
    known.add(key);
    return map.get(key);
  }

  boolean has(String key) {
    known.add(key);
    return map.entry(key).isPresent();
  }

  /** The value of a required key; a "missing key" error (at this mapping's line) when absent. */
  Optional<YamlValue> require(String key, String hint) {
    Optional<YamlValue> v = get(key);
    if (v.isEmpty() && !broken) {
      errors().add(map.origin(), path(key), "missing required key" + (hint.isEmpty() ? "" : " (" + hint + ")"));
    }
    return v;
  }

  /**
   * A key that exists in the schema but not in this context (say {@code hidden} for a LeNet):
   * an error with the reason, not an "unknown key".
   */
  void notApplicable(String key, String reason) {
    known.add(key);
    map.entry(key).ifPresent(e -> errors().add(e.keyOrigin(), path(key), reason));
  }

  String string(String key, String dflt) {
    return get(key).flatMap(v -> convert.name(v, path(key))).orElse(dflt);
  }

  Optional<String> optionalString(String key) {
    return get(key).flatMap(v -> convert.name(v, path(key)));
  }

  int integer(String key, int dflt, int min) {
    return get(key).flatMap(v -> convert.integer(v, path(key), min)).orElse(dflt);
  }

  double number(String key, double dflt, double min, boolean minExclusive, double max) {
    return get(key).flatMap(v -> convert.number(v, path(key), min, minExclusive, max)).orElse(dflt);
  }

  boolean bool(String key, boolean dflt) {
    return get(key).flatMap(v -> convert.bool(v, path(key))).orElse(dflt);
  }

  <E extends Enum<E> & YamlEnum> E enumValue(String key, Class<E> type, E dflt) {
    return get(key).flatMap(v -> convert.enumValue(v, path(key), type)).orElse(dflt);
  }

  /** A non-empty list of distinct enum values. */
  <E extends Enum<E> & YamlEnum> List<E> enumList(String key, Class<E> type, List<E> dflt) {
    return get(key)
        .flatMap(v -> convert.distinctList(v, path(key), (item, p) -> convert.enumValue(item, p, type)))
        .orElse(dflt);
  }

  /** As {@link #enumValue(String, Class, Enum)} for an enum whose names {@code name} gives. */
  <E extends Enum<E>> E enumValue(String key, Class<E> type, java.util.function.Function<E, String> name, E dflt) {
    return get(key).flatMap(v -> convert.enumValue(v, path(key), type, name)).orElse(dflt);
  }

  /** As {@link #enumList(String, Class, List)} for an enum whose names {@code name} gives. */
  <E extends Enum<E>> List<E> enumList(String key, Class<E> type, java.util.function.Function<E, String> name, List<E> dflt) {
    return get(key)
        .flatMap(v -> convert.distinctList(v, path(key), (item, p) -> convert.enumValue(item, p, type, name)))
        .orElse(dflt);
  }

  /** The reader of a nested mapping, if the key is present. */
  Optional<MapReader> child(String key) {
    return get(key).map(v -> MapReader.of(v, path(key), convert));
  }

  /** Reports every key of this mapping that no binder asked for. */
  void finish() {
    for (YamlMap.Entry e : map.entries()) {
      if (!known.contains(e.key())) {
        String where = path.isEmpty() ? "at the top level" : "in " + path;
        String suggestion = Suggest.nearest(e.key(), known).map(k -> "; did you mean '" + k + "'?").orElse("");
        errors().add(e.keyOrigin(), path(e.key()), "unknown key" + suggestion
            + " (valid keys " + where + ": " + String.join(", ", known) + ")");
      }
    }
  }
}
