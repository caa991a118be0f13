package org.hesspec.model.train;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import org.hesspec.data.Dataset;

/** Data for the tests: a seeded Gaussian mixture, and a tiny private Fashion-MNIST IDX reader. */
final class TestData {
  private TestData() {}

  static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

  /**
   * {@code perClass} examples of each of {@code classes} classes in {@code dims} dimensions: class
   * means drawn once from N(0, scale^2 I) with {@code meanSeed}, plus N(0, I) noise drawn with
   * {@code noiseSeed} (so a train and a test set share the means). Classes interleaved.
   */
  static Dataset gaussianMixture(int classes, int dims, int perClass, double scale, long meanSeed, long noiseSeed) {
    SplittableRandom rm = new SplittableRandom(meanSeed);
    double[][] means = new double[classes][dims];
    for (double[] m : means) {
      for (int d = 0; d < dims; d++) {
        m[d] = scale * gaussian(rm);
      }
    }
    SplittableRandom rn = new SplittableRandom(noiseSeed);
    int n = classes * perClass;
    float[] x = new float[n * dims];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      int c = i % classes;
      y[i] = c;
      for (int d = 0; d < dims; d++) {
        x[i * dims + d] = (float) (means[c][d] + gaussian(rn));
      }
    }
    return Dataset.classification("gaussian-mixture(" + classes + "x" + dims + ", seed " + meanSeed + "/" + noiseSeed + ")",
        x, new int[] {dims}, y, classes);
  }

  /** Uniform noise images with random labels (for shape and plumbing checks). */
  static Dataset noiseImages(int n, int[] shape, int classes, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int size = 1;
    for (int d : shape) {
      size *= d;
    }
    float[] x = new float[n * size];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextDouble(-1, 1);
    }
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % classes;
    }
    return Dataset.classification("noise", x, shape, y, classes);
  }

  private static double gaussian(SplittableRandom r) {
    return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
  }

  static boolean fashionMnistPresent() {
    return Files.isRegularFile(FASHION_MNIST.resolve("train-images-idx3-ubyte.gz"))
        && Files.isRegularFile(FASHION_MNIST.resolve("t10k-labels-idx1-ubyte.gz"));
  }

  /**
   * The first {@code perClass} examples of each class of a Fashion-MNIST split ("train" or
   * "t10k"), pixels scaled to [0, 1], shape [28, 28, 1].
   */
  static Dataset fashionMnist(String split, int perClass) throws IOException {
    byte[] images = gunzip(FASHION_MNIST.resolve(split + "-images-idx3-ubyte.gz"));
    byte[] labels = gunzip(FASHION_MNIST.resolve(split + "-labels-idx1-ubyte.gz"));
    int n = header(images, 0x803, 4);
    if (header(labels, 0x801, 4) != n || header(images, 0x803, 8) != 28 || header(images, 0x803, 12) != 28) {
      throw new IOException("unexpected Fashion-MNIST layout");
    }
    int[] taken = new int[10];
    float[] x = new float[10 * perClass * 784];
    int[] y = new int[10 * perClass];
    int k = 0;
    for (int i = 0; i < n && k < y.length; i++) {
      int c = labels[8 + i] & 0xff;
      if (taken[c] < perClass) {
        taken[c]++;
        y[k] = c;
        for (int p = 0; p < 784; p++) {
          x[k * 784 + p] = (images[16 + i * 784 + p] & 0xff) / 255f;
        }
        k++;
      }
    }
    if (k != y.length) {
      throw new IOException("not enough examples per class in " + split);
    }
    return Dataset.classification("fashion-mnist/" + split + " (" + perClass + " per class)", x, new int[] {28, 28, 1}, y, 10);
  }

  /** The big-endian int at byte {@code at}, after checking the file's magic number. */
  private static int header(byte[] b, int magic, int at) throws IOException {
    java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b);
    if (buf.getInt(0) != magic) {
      throw new IOException("IDX magic " + Integer.toHexString(buf.getInt(0)) + ", expected " + Integer.toHexString(magic));
    }
    return buf.getInt(at);
  }

  private static byte[] gunzip(Path p) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
      return in.readAllBytes();
    }
  }
}
