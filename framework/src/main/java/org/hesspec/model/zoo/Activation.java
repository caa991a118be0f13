package org.hesspec.model.zoo;

import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Element-wise nonlinearity of the hidden layers. */
public enum Activation {
  /** max(0, x); the paper's networks. Hidden weights get He initialisation. */
  RELU,
  /** tanh(x); smooth, so derivative checks need not worry about kinks. Hidden weights get Glorot. */
  TANH;

  /** Adds the nonlinearity to the graph. */
  public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
    return switch (this) {
      case RELU -> tf.nn.relu(x);
      case TANH -> tf.math.tanh(x);
    };
  }

  /** The initialisation that keeps activations at unit scale through this nonlinearity. */
  public Init.Kind weightInit() {
    return this == RELU ? Init.Kind.HE_NORMAL : Init.Kind.GLOROT_UNIFORM;
  }

  /** Lower-case name as used in specs and metadata ({@code relu}, {@code tanh}). */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The name in experiment files ({@code model.train.activation}): the same as {@link #key()}. */
  public String yamlName() {
    return key();
  }

  /** Parses {@code relu} or {@code tanh} (case-insensitive). */
  public static Activation parse(String s) {
    for (Activation a : values()) {
      if (a.key().equalsIgnoreCase(s.trim())) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown activation '" + s + "' (expected relu or tanh)");
  }
}
