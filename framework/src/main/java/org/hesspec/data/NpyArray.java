package org.hesspec.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * An array read from a {@code .npy} file: its element type, shape and raw C-ordered data.
 *
 * @param file where it came from (for error messages)
 * @param dtype the element type
 * @param shape the dimensions, outermost first ({@code []} for a scalar)
 * @param data the elements, C order, already in the file's byte order
 */
public record NpyArray(Path file, Dtype dtype, int[] shape, ByteBuffer data) {

  /** The element types hesspec reads, with their NumPy type codes (without byte-order prefix). */
  public enum Dtype {
    FLOAT32("f4", 4, false),
    FLOAT64("f8", 8, false),
    UINT8("u1", 1, true),
    INT32("i4", 4, true),
    INT64("i8", 8, true);

    private final String code;
    private final int bytes;
    private final boolean integer;

    Dtype(String code, int bytes, boolean integer) {
      this.code = code;
      this.bytes = bytes;
      this.integer = integer;
    }

    /** The NumPy type code, e.g. {@code f4}. */
    public String code() {
      return code;
    }

    /** Bytes per element. */
    public int bytes() {
      return bytes;
    }

    /** Whether this is an integer type. */
    public boolean isInteger() {
      return integer;
    }

    /** The lower-case NumPy name, e.g. {@code float32}. */
    public String numpyName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    static Dtype fromCode(String code) {
      for (Dtype d : values()) {
        if (d.code.equals(code)) {
          return d;
        }
      }
      return null;
    }
  }

  /** Number of elements, the product of the shape. */
  public long count() {
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  /** The byte order of the data. */
  public ByteOrder order() {
    return data.order();
  }

  /** The elements as floats (float64 rounded, integers converted; uint8 not rescaled). */
  public float[] toFloats() {
    int n = Math.toIntExact(count());
    float[] out = new float[n];
    ByteBuffer b = data.duplicate().order(data.order());
    switch (dtype) {
      case FLOAT32 -> b.asFloatBuffer().get(out);
      case FLOAT64 -> {
        for (int i = 0; i < n; i++) {
          out[i] = (float) b.getDouble(i * 8);
        }
      }
      case UINT8 -> {
        for (int i = 0; i < n; i++) {
          out[i] = b.get(i) & 0xff;
        }
      }
      case INT32 -> {
        for (int i = 0; i < n; i++) {
          out[i] = b.getInt(i * 4);
        }
      }
      case INT64 -> {
        for (int i = 0; i < n; i++) {
          out[i] = b.getLong(i * 8);
        }
      }
    }
    return out;
  }

  /**
   * The elements as ints; only for integer types.
   *
   * @throws DataFormatException for a floating-point array or an int64 value outside the int range
   */
  public int[] toInts() {
    if (!dtype.isInteger()) {
      throw new DataFormatException(file, "expected integer labels (int32, int64 or uint8), found " + dtype.numpyName());
    }
    int n = Math.toIntExact(count());
    int[] out = new int[n];
    ByteBuffer b = data.duplicate().order(data.order());
    for (int i = 0; i < n; i++) {
      switch (dtype) {
        case UINT8 -> out[i] = b.get(i) & 0xff;
        case INT32 -> out[i] = b.getInt(i * 4);
        case INT64 -> {
          long v = b.getLong(i * 8);
          if (v != (int) v) {
            throw new DataFormatException(file, "value " + v + " at index " + i + " does not fit a 32-bit int");
          }
          out[i] = (int) v;
        }
        default -> throw new AssertionError(dtype);
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "NpyArray[" + file + ", " + dtype.numpyName() + ", shape " + Arrays.toString(shape) + ", " + order() + "]";
  }
}
