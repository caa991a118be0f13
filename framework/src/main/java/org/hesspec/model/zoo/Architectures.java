package org.hesspec.model.zoo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an architecture back from its {@link Architecture#describe()} form (the
 * {@code architecture} object of {@code hesspec-model.json}, or the same keys in an experiment
 * file). Unknown keys and wrong types are errors that name the key.
 */
public final class Architectures {
  private Architectures() {}

  /** The architecture described by {@code m}; {@code kind} selects the family. */
  public static Architecture fromDescription(Map<String, ?> m) {
    String kind = string(m, "kind");
    return switch (kind) {
      case "mlp" -> {
        allow(m, "kind", "input_shape", "hidden", "activation", "classes");
        yield new Mlp(ints(m, "input_shape"), ints(m, "hidden"), Activation.parse(string(m, "activation")), integer(m, "classes"));
      }
      case "lenet" -> {
        allow(m, "kind", "input_shape", "conv1_channels", "conv2_channels", "activation", "classes");
        yield new LeNet(ints(m, "input_shape"), integer(m, "conv1_channels"), integer(m, "conv2_channels"),
            Activation.parse(string(m, "activation")), integer(m, "classes"));
      }
      case "vgg11" -> {
        allow(m, "kind", "input_shape", "width_multiplier", "classes", "batch_norm");
        Object bn = m.get("batch_norm");
        if (bn != null && !(bn instanceof Boolean)) {
          throw new IllegalArgumentException("batch_norm: expected true or false, got " + bn);
        }
        yield new Vgg11(ints(m, "input_shape"), number(m, "width_multiplier"), integer(m, "classes"), Boolean.TRUE.equals(bn));
      }
      case "resnet18" -> {
        allow(m, "kind", "input_shape", "base_width", "classes");
        yield new ResNet18(ints(m, "input_shape"), integer(m, "base_width"), integer(m, "classes"));
      }
      default -> throw new IllegalArgumentException("kind: unknown architecture '" + kind + "' (mlp, lenet, vgg11, resnet18)");
    };
  }

  private static void allow(Map<String, ?> m, String... keys) {
    Set<String> allowed = Set.of(keys);
    for (String k : m.keySet()) {
      if (!allowed.contains(k)) {
        throw new IllegalArgumentException(k + ": unknown key for architecture " + m.get("kind") + " (allowed: " + List.of(keys) + ")");
      }
    }
  }

  private static Object required(Map<String, ?> m, String key) {
    Object v = m.get(key);
    if (v == null) {
      throw new IllegalArgumentException(key + ": missing");
    }
    return v;
  }

  private static String string(Map<String, ?> m, String key) {
    if (required(m, key) instanceof String s) {
      return s;
    }
    throw new IllegalArgumentException(key + ": expected a string, got " + m.get(key));
  }

  private static int integer(Map<String, ?> m, String key) {
    Object v = required(m, key);
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) <= Integer.MAX_VALUE) {
      return n.intValue();
    }
    throw new IllegalArgumentException(key + ": expected an integer, got " + v);
  }

  private static double number(Map<String, ?> m, String key) {
    if (required(m, key) instanceof Number n) {
      return n.doubleValue();
    }
    throw new IllegalArgumentException(key + ": expected a number, got " + m.get(key));
  }

  private static List<Integer> ints(Map<String, ?> m, String key) {
    if (!(required(m, key) instanceof List<?> l)) {
      throw new IllegalArgumentException(key + ": expected a list of integers, got " + m.get(key));
    }
    List<Integer> out = new ArrayList<>();
    for (Object o : l) {
      if (o instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
        out.add(n.intValue());
      } else {
        throw new IllegalArgumentException(key + ": expected a list of integers, got " + l);
      }
    }
    return out;
  }
}
