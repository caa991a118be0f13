package org.hesspec.experiments.config;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A small JSON writer for {@code run.json}: maps (in their iteration order), lists, strings,
 * numbers, booleans and null, indented by two spaces. Numbers are written as Java prints them
 * (valid JSON: {@code 3}, {@code 0.5}, {@code 1.0E-4}); NaN and infinities have no JSON form and
 * are rejected.
 */
public final class Json {

  private Json() {}

  /** The JSON text of {@code value}, ending without a newline. */
  public static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out, "");
    return out.toString();
  }

  private static void write(Object value, StringBuilder out, String indent) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String s) {
      quote(s, out);
    } else if (value instanceof Boolean b) {
      out.append(b);
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (!Double.isFinite(d)) {
        throw new IllegalArgumentException("JSON has no representation for " + d);
      }
      out.append(value instanceof Float f ? Float.toString(f) : Double.toString(d));
    } else if (value instanceof Number n) {
      out.append(n);
    } else if (value instanceof Map<?, ?> map) {
      writeMap(map, out, indent);
    } else if (value instanceof List<?> list) {
      writeList(list, out, indent);
    } else if (value instanceof Enum<?> e && e instanceof YamlEnum y) {
      quote(y.yamlName(), out);
    } else {
      // Paths and other value types: their string form, so callers need not convert first.
      quote(value.toString(), out);
    }
  }

  private static void writeMap(Map<?, ?> map, StringBuilder out, String indent) {
    if (map.isEmpty()) {
      out.append("{}");
      return;
    }
    String inner = indent + "  ";
    out.append("{\n");
    Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<?, ?> e = it.next();
      out.append(inner);
      quote(String.valueOf(e.getKey()), out);
      out.append(": ");
      write(e.getValue(), out, inner);
      out.append(it.hasNext() ? ",\n" : "\n");
    }
    out.append(indent).append('}');
  }

  private static void writeList(List<?> list, StringBuilder out, String indent) {
    if (list.isEmpty()) {
      out.append("[]");
      return;
    }
    // Lists of scalars stay on one line: [10, 51, 506] reads better than a column.
    boolean flat = list.stream().noneMatch(v -> v instanceof Map<?, ?> || v instanceof List<?>);
    if (flat) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(", ");
        }
        write(list.get(i), out, indent);
      }
      out.append(']');
      return;
    }
    String inner = indent + "  ";
    out.append("[\n");
    for (int i = 0; i < list.size(); i++) {
      out.append(inner);
      write(list.get(i), out, inner);
      out.append(i + 1 < list.size() ? ",\n" : "\n");
    }
    out.append(indent).append(']');
  }

  /** A JSON string literal: quotes, backslashes and control characters escaped. */
  static void quote(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          // U+2028/2029 are legal JSON but break JavaScript readers of report pages.
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
