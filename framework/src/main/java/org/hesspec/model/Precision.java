package org.hesspec.model;

import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TFloating;

/** The floating-point precision in which a model is evaluated and differentiated. */
public enum Precision {
  FLOAT32(DataType.DT_FLOAT, TFloat32.class),
  FLOAT64(DataType.DT_DOUBLE, TFloat64.class);

  private final DataType dataType;
  private final Class<? extends TFloating> tensorType;

  Precision(DataType dataType, Class<? extends TFloating> tensorType) {
    this.dataType = dataType;
    this.tensorType = tensorType;
  }

  public DataType dataType() {
    return dataType;
  }

  public Class<? extends TFloating> tensorType() {
    return tensorType;
  }

  /** Bytes per number: 4 or 8. */
  public int bytes() {
    return this == FLOAT32 ? 4 : 8;
  }

  /** The name in experiment files: {@code float32} or {@code float64}. */
  public String yamlName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Parses {@code float32} or {@code float64} (as written in an experiment file). */
  public static Precision parse(String s) {
    return switch (s.toLowerCase(java.util.Locale.ROOT)) {
      case "float32" -> FLOAT32;
      case "float64" -> FLOAT64;
      default -> throw new IllegalArgumentException("precision '" + s + "': expected float32 or float64");
    };
  }
}
