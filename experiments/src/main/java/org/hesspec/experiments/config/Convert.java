package org.hesspec.experiments.config;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Typed readings of single {@link YamlValue}s. Each method either returns the value or records
 * an "expected X, found Y" error and returns empty, so callers can continue and collect more.
 */
final class Convert {

  private final Errors errors;

  Convert(Errors errors) {
    this.errors = errors;
  }

  Errors errors() {
    return errors;
  }

  /**
   * Any non-null scalar as written: names such as {@code name: 2024} are numbers to YAML but
   * strings to us.
   */
  Optional<String> string(YamlValue v, String path) {
    if (v instanceof YamlScalar s && s.kind() != YamlScalar.Kind.NULL) {
      return Optional.of(s.text());
    }
    return expected(v, path, "a string");
  }

  /** A non-blank string. */
  Optional<String> name(YamlValue v, String path) {
    Optional<String> s = string(v, path);
    if (s.isPresent() && s.get().isBlank()) {
      errors.add(v.origin(), path, "must not be empty");
      return Optional.empty();
    }
    return s;
  }

  Optional<Long> integer(YamlValue v, String path, long min, long max) {
    if (!(v instanceof YamlScalar s) || s.kind() != YamlScalar.Kind.INT) {
      return expected(v, path, "an integer");
    }
    BigInteger n = parseInteger(s.text());
    if (n.compareTo(BigInteger.valueOf(min)) < 0) {
      errors.add(v.origin(), path, "must be at least " + min + ", found " + s.text());
      return Optional.empty();
    }
    if (n.compareTo(BigInteger.valueOf(max)) > 0) {
      errors.add(v.origin(), path, "must be at most " + max + ", found " + s.text());
      return Optional.empty();
    }
    return Optional.of(n.longValue());
  }

  Optional<Integer> integer(YamlValue v, String path, int min) {
    return integer(v, path, min, Integer.MAX_VALUE).map(Long::intValue);
  }

  /**
   * A finite number in the given range (integers accepted); {@code minExclusive} makes the lower
   * bound strict, for sizes and rates that must be positive.
   */
  Optional<Double> number(YamlValue v, String path, double min, boolean minExclusive, double max) {
    if (!(v instanceof YamlScalar s) || (s.kind() != YamlScalar.Kind.INT && s.kind() != YamlScalar.Kind.FLOAT)) {
      return expected(v, path, "a number");
    }
    double x = s.kind() == YamlScalar.Kind.INT ? parseInteger(s.text()).doubleValue() : parseFloat(s.text());
    if (!Double.isFinite(x)) {
      errors.add(v.origin(), path, "must be a finite number, found " + s.text());
      return Optional.empty();
    }
    if (minExclusive ? x <= min : x < min) {
      errors.add(v.origin(), path, "must be " + (minExclusive ? "greater than " : "at least ") + plain(min) + ", found " + s.text());
      return Optional.empty();
    }
    if (x > max) {
      errors.add(v.origin(), path, "must be at most " + plain(max) + ", found " + s.text());
      return Optional.empty();
    }
    return Optional.of(x);
  }

  Optional<Boolean> bool(YamlValue v, String path) {
    if (v instanceof YamlScalar s && s.kind() == YamlScalar.Kind.BOOL) {
      return Optional.of(Boolean.parseBoolean(s.text().toLowerCase(java.util.Locale.ROOT)));
    }
    return expected(v, path, "true or false");
  }

  /** One of the enum's {@link YamlEnum#yamlName()}s, exactly as written there. */
  <E extends Enum<E> & YamlEnum> Optional<E> enumValue(YamlValue v, String path, Class<E> type) {
    return enumValue(v, path, type, YamlEnum::yamlName);
  }

  /** One of the enum's names as {@code name} gives them (for enums of the framework, which cannot implement {@link YamlEnum}). */
  <E extends Enum<E>> Optional<E> enumValue(YamlValue v, String path, Class<E> type, java.util.function.Function<E, String> name) {
    E[] constants = type.getEnumConstants();
    List<String> names = Arrays.stream(constants).map(name).toList();
    if (!(v instanceof YamlScalar s) || s.kind() == YamlScalar.Kind.NULL) {
      return expected(v, path, "one of " + String.join(", ", names));
    }
    for (E e : constants) {
      if (name.apply(e).equals(s.text())) {
        return Optional.of(e);
      }
    }
    errors.add(v.origin(), path, "unknown value '" + s.text() + "'; valid values are "
        + String.join(", ", names) + Suggest.didYouMean(s.text(), names));
    return Optional.empty();
  }

  /** A list; a scalar gets a hint to write it in brackets. */
  Optional<YamlList> list(YamlValue v, String path) {
    if (v instanceof YamlList l) {
      return Optional.of(l);
    }
    if (v instanceof YamlScalar s && s.kind() != YamlScalar.Kind.NULL) {
      errors.add(v.origin(), path, "expected a list, found " + v.describe() + " (write [" + s.text() + "])");
      return Optional.empty();
    }
    return expected(v, path, "a list");
  }

  /** A non-empty list whose items all convert; empty when any item fails. */
  <T> Optional<List<T>> nonEmptyList(YamlValue v, String path, ItemReader<T> item) {
    Optional<YamlList> list = list(v, path);
    if (list.isEmpty()) {
      return Optional.empty();
    }
    if (list.get().items().isEmpty()) {
      errors.add(v.origin(), path, "must not be an empty list");
      return Optional.empty();
    }
    List<Optional<T>> items = new java.util.ArrayList<>();
    for (int i = 0; i < list.get().items().size(); i++) {
      items.add(item.read(list.get().items().get(i), path + "[" + i + "]"));
    }
    if (items.stream().anyMatch(Optional::isEmpty)) {
      return Optional.empty();
    }
    return Optional.of(items.stream().map(Optional::get).toList());
  }

  /** Like {@link #nonEmptyList} but each value may appear only once. */
  <T> Optional<List<T>> distinctList(YamlValue v, String path, ItemReader<T> item) {
    Optional<List<T>> list = nonEmptyList(v, path, item);
    if (list.isPresent()) {
      List<T> values = list.get();
      for (int i = 0; i < values.size(); i++) {
        if (values.indexOf(values.get(i)) < i) {
          YamlValue dup = ((YamlList) v).items().get(i);
          errors.add(dup.origin(), path + "[" + i + "]", "duplicate entry " + dup.flowText());
          return Optional.empty();
        }
      }
    }
    return list;
  }

  /** A mapping; an explicit null ({@code class_structure:}) counts as an empty one. */
  Optional<YamlMap> map(YamlValue v, String path) {
    if (v instanceof YamlMap m) {
      return Optional.of(m);
    }
    if (v instanceof YamlScalar s && s.kind() == YamlScalar.Kind.NULL) {
      return Optional.of(new YamlMap(List.of(), v.origin()));
    }
    return expected(v, path, "a mapping (key: value lines or {key: value})");
  }

  /** Reads one list item. */
  @FunctionalInterface
  interface ItemReader<T> {
    Optional<T> read(YamlValue item, String path);
  }

  private <T> Optional<T> expected(YamlValue v, String path, String what) {
    errors.add(v.origin(), path, "expected " + what + ", found " + v.describe());
    return Optional.empty();
  }

  /** Core-schema integers: decimal with sign, 0x hex, 0o octal. */
  static BigInteger parseInteger(String text) {
    String t = text.replace("_", "");
    boolean negative = t.startsWith("-");
    if (t.startsWith("-") || t.startsWith("+")) {
      t = t.substring(1);
    }
    BigInteger n;
    if (t.startsWith("0x")) {
      n = new BigInteger(t.substring(2), 16);
    } else if (t.startsWith("0o")) {
      n = new BigInteger(t.substring(2), 8);
    } else {
      n = new BigInteger(t);
    }
    return negative ? n.negate() : n;
  }

  /** Core-schema floats, including .inf and .nan (rejected later as not finite). */
  static double parseFloat(String text) {
    String t = text.toLowerCase(java.util.Locale.ROOT);
    return switch (t) {
      case ".inf", "+.inf" -> Double.POSITIVE_INFINITY;
      case "-.inf" -> Double.NEGATIVE_INFINITY;
      case ".nan" -> Double.NaN;
      default -> Double.parseDouble(t);
    };
  }

  /** A bound as the user would write it: 0 rather than 0.0. */
  static String plain(double x) {
    return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
  }

  static String names(Class<? extends YamlEnum> type) {
    return Arrays.stream(type.getEnumConstants()).map(YamlEnum::yamlName).collect(Collectors.joining(", "));
  }

  /** The names {@code name} gives the constants of {@code type}, joined by commas (an enum of the framework). */
  static <E extends Enum<E>> String names(Class<E> type, java.util.function.Function<E, String> name) {
    return Arrays.stream(type.getEnumConstants()).map(name).collect(Collectors.joining(", "));
  }
}
