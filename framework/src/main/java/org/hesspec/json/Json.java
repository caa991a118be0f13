package org.hesspec.json;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The small JSON dialect of hesspec's files ({@code run.json}, {@code hesspec-model.json}, the
 * resolved experiment). No dependency is pulled in for this.
 *
 * <p>Written: {@link Map} as an object, in iteration order (a {@link LinkedHashMap} gives a
 * stable file; keys via {@link String#valueOf}); {@link Collection} (e.g. {@link List}) as an
 * array; {@link String}; {@link Boolean}; {@code null}; numbers as Java prints them, which is
 * valid JSON ({@code 7}, {@code 0.05}, {@code 1.0E-4}; a {@link Float} as {@link
 * Float#toString}, so {@code 0.1f} stays {@code 0.1}); anything else (paths, enums, instants) as
 * the string of its {@code toString()}. Pretty-printed with two-space indentation; arrays of
 * scalars stay on one line ({@code [10, 51, 506]}); the text ends in a newline. Strings are
 * escaped: quote, backslash, control characters, and U+2028/U+2029 (legal JSON, but they break
 * JavaScript readers).
 *
 * <p>JSON has no NaN or infinities: {@link #write} rejects them, {@link #writeNonFiniteAsNull}
 * writes {@code null}, the honest "no value" (e.g. the loss of a diverged run).
 *
 * <p>Read back by {@link #parse} into {@link LinkedHashMap} (ordered), {@link ArrayList},
 * {@link String}, {@link Long} (integral numbers), {@link Double} (the others), {@link Boolean}
 * and null. So {@code write(parse(write(x)))} equals {@code write(x)} for the values above that
 * are written as their JSON type (numbers, strings, booleans, null, maps and lists of them): a
 * stored file can be compared with a freshly written one as text.
 */
public final class Json {

  private Json() {}

  /**
   * The JSON text of {@code value}, ending in a newline.
   *
   * @throws IllegalArgumentException if it holds a NaN or infinite {@code double} or {@code float}
   */
  public static String write(Object value) {
    return write(value, false);
  }

  /** The JSON text of {@code value}, ending in a newline; NaN and infinities are written as null. */
  public static String writeNonFiniteAsNull(Object value) {
    return write(value, true);
  }

  /**
   * Parses one JSON value (see the class comment for the Java types returned).
   *
   * @throws IllegalArgumentException if {@code text} is not one JSON value, with the offset
   */
  public static Object parse(String text) {
    Parser parser = new Parser(text);
    Object value = parser.value();
    parser.skipSpace();
    if (parser.pos != text.length()) {
      throw parser.error("trailing characters");
    }
    return value;
  }

  private static String write(Object value, boolean nonFiniteAsNull) {
    StringBuilder out = new StringBuilder();
    new Writer(out, nonFiniteAsNull).write(value, "");
    return out.append('\n').toString();
  }

  private record Writer(StringBuilder out, boolean nonFiniteAsNull) {

    void write(Object value, String indent) {
      if (value == null) {
        out.append("null");
      } else if (value instanceof String s) {
        quote(s);
      } else if (value instanceof Boolean b) {
        out.append(b);
      } else if (value instanceof Double || value instanceof Float) {
        double d = ((Number) value).doubleValue();
        if (Double.isFinite(d)) {
          out.append(value instanceof Float f ? Float.toString(f) : Double.toString(d));
        } else if (nonFiniteAsNull) {
          out.append("null");
        } else {
          throw new IllegalArgumentException("JSON has no representation for " + d);
        }
      } else if (value instanceof Number n) {
        out.append(n);
      } else if (value instanceof Map<?, ?> map) {
        writeMap(map, indent);
      } else if (value instanceof Collection<?> collection) {
        // Not List.copyOf: lists may hold null (e.g. sweep values).
        writeList(collection instanceof List<?> l ? l : new ArrayList<>(collection), indent);
      } else {
        // Paths, enums, instants and the like: their text form is what a reader wants.
        quote(value.toString());
      }
    }

    private void writeMap(Map<?, ?> map, String indent) {
      if (map.isEmpty()) {
        out.append("{}");
        return;
      }
      String inner = indent + "  ";
      out.append("{\n");
      int i = 0;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        out.append(inner);
        quote(String.valueOf(e.getKey()));
        out.append(": ");
        write(e.getValue(), inner);
        out.append(++i < map.size() ? ",\n" : "\n");
      }
      out.append(indent).append('}');
    }

    private void writeList(List<?> list, String indent) {
      if (list.isEmpty()) {
        out.append("[]");
        return;
      }
      // Lists of scalars stay on one line: [10, 51, 506] reads better than a column.
      boolean flat =
          list.stream().noneMatch(v -> v instanceof Map<?, ?> || v instanceof Collection<?>);
      if (flat) {
        out.append('[');
        for (int i = 0; i < list.size(); i++) {
          if (i > 0) {
            out.append(", ");
          }
          write(list.get(i), indent);
        }
        out.append(']');
        return;
      }
      String inner = indent + "  ";
      out.append("[\n");
      for (int i = 0; i < list.size(); i++) {
        out.append(inner);
        write(list.get(i), inner);
        out.append(i + 1 < list.size() ? ",\n" : "\n");
      }
      out.append(indent).append(']');
    }

    /** A JSON string literal: quotes, backslashes and control characters escaped. */
    private void quote(String s) {
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

  private static final class Parser {
    private final String text;
    private int pos;

    Parser(String text) {
      this.text = text;
    }

    Object value() {
      skipSpace();
      if (pos >= text.length()) {
        throw error("unexpected end");
      }
      char c = text.charAt(pos);
      return switch (c) {
        case '{' -> object();
        case '[' -> array();
        case '"' -> string();
        case 't' -> literal("true", Boolean.TRUE);
        case 'f' -> literal("false", Boolean.FALSE);
        case 'n' -> literal("null", null);
        default -> number();
      };
    }

    private Map<String, Object> object() {
      Map<String, Object> map = new LinkedHashMap<>();
      pos++;
      skipSpace();
      if (peek() == '}') {
        pos++;
        return map;
      }
      while (true) {
        skipSpace();
        String key = string();
        skipSpace();
        expect(':');
        map.put(key, value());
        skipSpace();
        if (peek() == ',') {
          pos++;
        } else {
          expect('}');
          return map;
        }
      }
    }

    private List<Object> array() {
      List<Object> list = new ArrayList<>();
      pos++;
      skipSpace();
      if (peek() == ']') {
        pos++;
        return list;
      }
      while (true) {
        list.add(value());
        skipSpace();
        if (peek() == ',') {
          pos++;
        } else {
          expect(']');
          return list;
        }
      }
    }

    private String string() {
      expect('"');
      StringBuilder out = new StringBuilder();
      while (true) {
        if (pos >= text.length()) {
          throw error("unterminated string");
        }
        char c = text.charAt(pos++);
        if (c == '"') {
          return out.toString();
        }
        if (c != '\\') {
          out.append(c);
          continue;
        }
        if (pos >= text.length()) {
          throw error("unterminated string");
        }
        char e = text.charAt(pos++);
        switch (e) {
          case '"', '\\', '/' -> out.append(e);
          case 'n' -> out.append('\n');
          case 'r' -> out.append('\r');
          case 't' -> out.append('\t');
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'u' -> {
            if (pos + 4 > text.length()) {
              throw error("unterminated string");
            }
            try {
              out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
            } catch (NumberFormatException x) {
              throw error("bad escape \\u" + text.substring(pos, pos + 4));
            }
            pos += 4;
          }
          default -> throw error("bad escape \\" + e);
        }
      }
    }

    private Object number() {
      int start = pos;
      while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
        pos++;
      }
      String s = text.substring(start, pos);
      if (s.isEmpty()) {
        throw error("unexpected character '" + text.charAt(start) + "'");
      }
      try {
        if (s.matches("-?\\d+")) {
          return Long.parseLong(s);
        }
        return Double.parseDouble(s);
      } catch (NumberFormatException e) {
        throw error("bad number '" + s + "'");
      }
    }

    private Object literal(String word, Object value) {
      if (!text.startsWith(word, pos)) {
        throw error("expected " + word);
      }
      pos += word.length();
      return value;
    }

    private void expect(char c) {
      if (peek() != c) {
        throw error("expected '" + c + "'");
      }
      pos++;
    }

    private char peek() {
      return pos < text.length() ? text.charAt(pos) : '\0';
    }

    void skipSpace() {
      while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
        pos++;
      }
    }

    IllegalArgumentException error(String what) {
      return new IllegalArgumentException("JSON at offset " + pos + ": " + what);
    }
  }
}
