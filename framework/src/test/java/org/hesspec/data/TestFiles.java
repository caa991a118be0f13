package org.hesspec.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

/** Writes small data files in the formats the readers accept, for tests. */
final class TestFiles {

  private TestFiles() {}

  static void write(Path file, byte[] bytes, boolean gzip) throws IOException {
    if (gzip) {
      try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
        out.write(bytes);
      }
    } else {
      Files.write(file, bytes);
    }
  }

  /** An IDX image file: magic, n, rows, cols, then the pixel bytes. */
  static byte[] idxImages(int magic, int n, int rows, int cols, byte[] pixels) {
    ByteBuffer b = ByteBuffer.allocate(16 + pixels.length).order(ByteOrder.BIG_ENDIAN);
    b.putInt(magic).putInt(n).putInt(rows).putInt(cols).put(pixels);
    return b.array();
  }

  /** An IDX label file. */
  static byte[] idxLabels(int magic, int n, byte[] labels) {
    ByteBuffer b = ByteBuffer.allocate(8 + labels.length).order(ByteOrder.BIG_ENDIAN);
    b.putInt(magic).putInt(n).put(labels);
    return b.array();
  }

  /** Pixel bytes whose value identifies their position: (i * 7 + p) mod 256. */
  static byte[] pixels(int n, int size) {
    byte[] p = new byte[n * size];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < size; j++) {
        p[i * size + j] = (byte) ((i * 7 + j) & 0xff);
      }
    }
    return p;
  }

  /** Writes the four MNIST-layout files into {@code dir}: n train and m test images of 28x28. */
  static void mnistDir(Path dir, int nTrain, int nTest, boolean gzip) throws IOException {
    String suffix = gzip ? ".gz" : "";
    write(dir.resolve("train-images-idx3-ubyte" + suffix), idxImages(0x803, nTrain, 28, 28, pixels(nTrain, 784)), gzip);
    write(dir.resolve("train-labels-idx1-ubyte" + suffix), idxLabels(0x801, nTrain, labels(nTrain)), gzip);
    write(dir.resolve("t10k-images-idx3-ubyte" + suffix), idxImages(0x803, nTest, 28, 28, pixels(nTest, 784)), gzip);
    write(dir.resolve("t10k-labels-idx1-ubyte" + suffix), idxLabels(0x801, nTest, labels(nTest)), gzip);
  }

  /** Labels i mod 10 as bytes. */
  static byte[] labels(int n) {
    byte[] l = new byte[n];
    for (int i = 0; i < n; i++) {
      l[i] = (byte) (i % 10);
    }
    return l;
  }

  /** An NPY file with the given version, descr, shape and raw data. */
  static byte[] npy(int major, String descr, boolean fortran, int[] shape, byte[] data) {
    StringBuilder sh = new StringBuilder("(");
    for (int d : shape) {
      sh.append(d).append(", ");
    }
    if (shape.length > 0) {
      sh.setLength(sh.length() - 2);
      if (shape.length == 1) {
        sh.append(',');
      }
    }
    sh.append(')');
    String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + sh + ", }";
    int pre = major == 1 ? 10 : 12;
    int total = pre + dict.length() + 1;
    int pad = (64 - total % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer b = ByteBuffer.allocate(pre + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) major).put((byte) 0);
    if (major == 1) {
      b.putShort((short) h.length);
    } else {
      b.putInt(h.length);
    }
    b.put(h).put(data);
    return b.array();
  }

  static byte[] floats(ByteOrder order, float... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(order);
    for (float f : v) {
      b.putFloat(f);
    }
    return b.array();
  }

  static byte[] doubles(ByteOrder order, double... v) {
    ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(order);
    for (double f : v) {
      b.putDouble(f);
    }
    return b.array();
  }

  static byte[] ints(ByteOrder order, int... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(order);
    for (int f : v) {
      b.putInt(f);
    }
    return b.array();
  }

  static byte[] longs(ByteOrder order, long... v) {
    ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(order);
    for (long f : v) {
      b.putLong(f);
    }
    return b.array();
  }

  /** The first {@code n} bytes of {@code b}. */
  static byte[] head(byte[] b, int n) {
    return Arrays.copyOf(b, n);
  }
}
