package org.hesspec.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST, gzipped or not (detected from the
 * content).
 *
 * <p>An IDX file is a big-endian header (a 32-bit magic number {@code 0x000008dd}, where
 * {@code 08} means unsigned bytes and {@code dd} is the number of dimensions, then one 32-bit size
 * per dimension) followed by the values. Images are {@code 0x00000803} ({@code n x rows x cols}),
 * labels {@code 0x00000801} ({@code n}). The file must hold exactly the bytes its header announces.
 */
public final class IdxReader {

  /** Magic number of an IDX image file: unsigned bytes, 3 dimensions. */
  public static final int IMAGES_MAGIC = 0x00000803;
  /** Magic number of an IDX label file: unsigned bytes, 1 dimension. */
  public static final int LABELS_MAGIC = 0x00000801;

  private IdxReader() {}

  /**
   * The images of an IDX image file.
   *
   * @param file where they came from
   * @param count n, the number of images
   * @param rows image height
   * @param cols image width
   * @param pixels {@code n * rows * cols} unsigned bytes, row-major, image after image
   */
  public record Images(Path file, int count, int rows, int cols, byte[] pixels) {
    /** The pixels scaled to {@code [0, 1]}, as NHWC floats with one channel. */
    public float[] unitFeatures() {
      return Pixels.toUnit(pixels);
    }
  }

  /** Reads an image file ({@code 0x00000803}). */
  public static Images readImages(Path file) {
    byte[] bytes = FileBytes.read(file);
    ByteBuffer header = header(file, bytes, IMAGES_MAGIC, 16);
    int n = dimension(file, header, "image count");
    int rows = dimension(file, header, "row count");
    int cols = dimension(file, header, "column count");
    long expected = 16 + (long) n * rows * cols;
    checkLength(file, bytes, expected, n + " images of " + rows + "x" + cols);
    byte[] pixels = new byte[bytes.length - 16];
    System.arraycopy(bytes, 16, pixels, 0, pixels.length);
    return new Images(file, n, rows, cols, pixels);
  }

  /**
   * Reads a label file ({@code 0x00000801}) and checks every label lies in {@code [0, numClasses)}.
   */
  public static int[] readLabels(Path file, int numClasses) {
    byte[] bytes = FileBytes.read(file);
    ByteBuffer header = header(file, bytes, LABELS_MAGIC, 8);
    int n = dimension(file, header, "label count");
    checkLength(file, bytes, 8 + (long) n, n + " labels");
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      int y = bytes[8 + i] & 0xff;
      if (y >= numClasses) {
        throw new DataFormatException(file, "label " + y + " of example " + i + " is outside [0, " + numClasses + ")");
      }
      labels[i] = y;
    }
    return labels;
  }

  /**
   * Reads an image file and its label file into a classification data set with example shape
   * {@code [rows, cols, 1]} and pixels scaled to {@code [0, 1]}.
   */
  public static Dataset read(String name, Path imagesFile, Path labelsFile, int numClasses) {
    Images images = readImages(imagesFile);
    int[] labels = readLabels(labelsFile, numClasses);
    if (labels.length != images.count()) {
      throw new DataFormatException(imagesFile, images.count() + " images but " + labelsFile + " holds " + labels.length + " labels");
    }
    return Dataset.classification(name, images.unitFeatures(), new int[] {images.rows(), images.cols(), 1}, labels, numClasses);
  }

  private static ByteBuffer header(Path file, byte[] bytes, int magic, int headerBytes) {
    if (bytes.length < 4) {
      throw new DataFormatException(file, "truncated: " + bytes.length + " bytes, too short for an IDX magic number (4 bytes)");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
    int found = buf.getInt();
    if (found != magic) {
      throw new DataFormatException(file, String.format("wrong magic number: expected 0x%08x (%s), found 0x%08x",
          magic, magic == IMAGES_MAGIC ? "IDX unsigned-byte images, 3 dimensions" : "IDX unsigned-byte labels, 1 dimension", found));
    }
    if (bytes.length < headerBytes) {
      throw new DataFormatException(file, "truncated header: expected " + headerBytes + " bytes, found " + bytes.length);
    }
    return buf;
  }

  private static int dimension(Path file, ByteBuffer header, String what) {
    int d = header.getInt();
    if (d < 0) {
      throw new DataFormatException(file, "negative " + what + " " + d + " in the header");
    }
    return d;
  }

  private static void checkLength(Path file, byte[] bytes, long expected, String what) {
    if (bytes.length < expected) {
      throw new DataFormatException(file, "truncated: the header announces " + what + ", expected " + expected
          + " bytes, found " + bytes.length);
    }
    if (bytes.length > expected) {
      throw new DataFormatException(file, "the header announces " + what + " (" + expected + " bytes) but the file has "
          + bytes.length + " bytes; trailing data");
    }
  }
}
