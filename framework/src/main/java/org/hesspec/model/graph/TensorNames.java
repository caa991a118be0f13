package org.hesspec.model.graph;

/**
 * GraphDef tensor-name syntax: {@code node:k} (or bare {@code node} for output 0) for a data
 * input, {@code ^node} for a control input.
 */
final class TensorNames {
  private TensorNames() {}

  static boolean isControl(String input) {
    return input.startsWith("^");
  }

  /** The node an input (data or control) refers to. */
  static String nodeName(String input) {
    String s = isControl(input) ? input.substring(1) : input;
    int colon = s.lastIndexOf(':');
    if (colon > 0 && isDigits(s.substring(colon + 1))) {
      return s.substring(0, colon);
    }
    return s;
  }

  /** The output index of a data input ({@code node} means {@code node:0}). */
  static int outputIndex(String input) {
    int colon = input.lastIndexOf(':');
    if (colon > 0 && isDigits(input.substring(colon + 1))) {
      return Integer.parseInt(input.substring(colon + 1));
    }
    return 0;
  }

  /** {@code node:k} for a data input, whichever form it was written in. */
  static String canonical(String input) {
    if (isControl(input)) {
      return input;
    }
    return nodeName(input) + ":" + outputIndex(input);
  }

  static String tensor(String node, int index) {
    return node + ":" + index;
  }

  static String control(String node) {
    return "^" + node;
  }

  private static boolean isDigits(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (!Character.isDigit(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
