package org.hesspec.model.zoo;

import java.util.List;

/** Validation shared by the architecture records. */
final class Specs {
  private Specs() {}

  static List<Integer> positiveList(String what, List<Integer> values) {
    if (values == null) {
      throw new IllegalArgumentException(what + " is missing");
    }
    for (Integer v : values) {
      if (v == null || v <= 0) {
        throw new IllegalArgumentException(what + " must hold positive integers, got " + values);
      }
    }
    return List.copyOf(values);
  }

  static List<Integer> imageShape(String kind, List<Integer> shape) {
    List<Integer> s = positiveList(kind + " input shape", shape);
    if (s.size() != 3) {
      throw new IllegalArgumentException(kind + " expects an image input [height, width, channels], got " + s);
    }
    return s;
  }

  static int classes(int numClasses) {
    if (numClasses < 2) {
      throw new IllegalArgumentException("numClasses must be at least 2, got " + numClasses);
    }
    return numClasses;
  }

  /** Scales a channel count by a width multiplier, keeping at least one channel. */
  static int scaled(int channels, double multiplier) {
    return Math.max(1, (int) Math.round(channels * multiplier));
  }

  static double multiplier(double m) {
    if (!(m > 0) || Double.isInfinite(m)) {
      throw new IllegalArgumentException("width multiplier must be positive, got " + m);
    }
    return m;
  }
}
