package org.hesspec.data;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Builds a data set from {@code .npy} files: features {@code x}, and integer labels {@code y}
 * and/or float regression targets.
 *
 * <p>Every value of {@code x} and of the targets must be finite (as float32); the first that is
 * not is reported with its row and column.
 *
 * <ul>
 *   <li>{@code x}: float32, float64 or uint8, shape {@code [n, ...]}; the example shape is the
 *       rest ({@code [n]} alone gives examples of shape {@code [1]}). uint8 is taken as pixels and
 *       scaled to {@code [0, 1]}; floats are kept as they are (float64 rounded to float32).
 *   <li>{@code y}: int32, int64 or uint8, shape {@code [n]} or {@code [n, 1]}, values
 *       {@code >= 0}; the number of classes is the largest label plus one unless given.
 *   <li>targets (for {@code mse}): float32 or float64, shape {@code [n]} (width 1) or
 *       {@code [n, k]} (width k).
 * </ul>
 */
public final class NpyDataset {

  private NpyDataset() {}

  /**
   * Reads the files.
   *
   * @param x features file (required)
   * @param y labels file, or null
   * @param targets targets file, or null; at least one of {@code y} and {@code targets} is required
   * @param numClasses C, or 0 to use the largest label plus one
   */
  public static Dataset load(Path x, Path y, Path targets, int numClasses) {
    if (y == null && targets == null) {
      throw new DataException(x + ": an npy data set needs labels (y) or regression targets (targets) besides x");
    }
    NpyArray xa = NpyReader.read(x);
    if (xa.shape().length == 0) {
      throw new DataFormatException(x, "features must have shape [n, ...], found a scalar");
    }
    int n = xa.shape()[0];
    int[] exampleShape = xa.shape().length == 1 ? new int[] {1} : Arrays.copyOfRange(xa.shape(), 1, xa.shape().length);
    float[] features = switch (xa.dtype()) {
      case UINT8 -> unit(xa.toFloats());
      case FLOAT32, FLOAT64 -> xa.toFloats();
      default -> throw new DataFormatException(x, "unsupported dtype " + xa.dtype().numpyName()
          + " for features (supported: float32, float64, uint8)");
    };
    for (int d : exampleShape) {
      if (d == 0) {
        throw new DataFormatException(x, "shape " + Arrays.toString(xa.shape()) + " has an empty example dimension");
      }
    }
    requireFinite(xa, features, "features");

    int[] labels = null;
    int classes = 0;
    if (y != null) {
      NpyArray ya = NpyReader.read(y);
      checkRows(ya, n, x, "labels");
      if (!(ya.shape().length == 1 || (ya.shape().length == 2 && ya.shape()[1] == 1))) {
        throw new DataFormatException(y, "labels must have shape [n] or [n, 1], found " + Arrays.toString(ya.shape()));
      }
      labels = ya.toInts();
      classes = checkLabels(y, labels, numClasses);
    }
    float[] t = null;
    int width = 0;
    if (targets != null) {
      NpyArray ta = NpyReader.read(targets);
      checkRows(ta, n, x, "targets");
      if (ta.dtype() != NpyArray.Dtype.FLOAT32 && ta.dtype() != NpyArray.Dtype.FLOAT64) {
        throw new DataFormatException(targets, "unsupported dtype " + ta.dtype().numpyName() + " for targets (supported: float32, float64)");
      }
      if (ta.shape().length > 2) {
        throw new DataFormatException(targets, "targets must have shape [n] or [n, k], found " + Arrays.toString(ta.shape()));
      }
      width = ta.shape().length == 1 ? 1 : ta.shape()[1];
      t = ta.toFloats();
      requireFinite(ta, t, "targets");
    }
    return new Dataset("npy:" + x.getFileName(), features, exampleShape, labels, t, width, classes);
  }

  /**
   * Fails on the first NaN or infinity of {@code values} (the array's elements as float32),
   * naming the row (example) and the column (flat index within the example, and its index per
   * axis); a float64 value beyond the float32 range is reported as overflowing.
   */
  static void requireFinite(NpyArray a, float[] values, String what) {
    int[] shape = a.shape();
    int perRow = 1;
    for (int i = 1; i < shape.length; i++) {
      perRow *= shape[i];
    }
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        int row = i / perRow;
        int col = i % perRow;
        String where = "row " + row + ", column " + col + (shape.length > 2 ? " (index " + Arrays.toString(unravel(col, shape)) + " of the example)" : "");
        double original = a.dtype() == NpyArray.Dtype.FLOAT64
            ? a.data().duplicate().order(a.order()).getDouble(i * 8) : values[i];
        String value = Double.isFinite(original)
            ? original + ", which overflows float32 (the precision data are kept in)"
            : String.valueOf(original);
        throw new DataFormatException(a.file(), what + " must be finite: the value at " + where + " (0-based) is " + value);
      }
    }
  }

  /** Index per axis (after the first) of flat position {@code col} within one row of {@code shape}. */
  private static int[] unravel(int col, int[] shape) {
    int[] idx = new int[shape.length - 1];
    for (int k = shape.length - 1; k >= 1; k--) {
      idx[k - 1] = col % shape[k];
      col /= shape[k];
    }
    return idx;
  }

  private static float[] unit(float[] bytes) {
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] /= 255f;
    }
    return bytes;
  }

  private static void checkRows(NpyArray a, int n, Path x, String what) {
    if (a.shape().length == 0 || a.shape()[0] != n) {
      throw new DataFormatException(a.file(), "count mismatch: " + (a.shape().length == 0 ? "a scalar" : a.shape()[0] + " " + what)
          + " but " + x + " holds " + n + " examples");
    }
  }

  /** Checks labels are in range and returns C (given, or inferred as max + 1). */
  static int checkLabels(Path file, int[] labels, int numClasses) {
    int max = -1;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0) {
        throw new DataFormatException(file, "label " + labels[i] + " of example " + i + " is negative");
      }
      if (numClasses > 0 && labels[i] >= numClasses) {
        throw new DataFormatException(file, "label " + labels[i] + " of example " + i + " is outside [0, " + numClasses + ")");
      }
      max = Math.max(max, labels[i]);
    }
    return numClasses > 0 ? numClasses : max + 1;
  }
}
