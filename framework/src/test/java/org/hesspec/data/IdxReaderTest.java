package org.hesspec.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {

  @TempDir Path dir;

  @ParameterizedTest(name = "gzip={0}")
  @ValueSource(booleans = {false, true})
  void readsImagesAndLabelsPlainOrGzipped(boolean gzip) throws IOException {
    TestFiles.mnistDir(dir, 12, 5, gzip);
    Dataset train = FashionMnist.load(dir, Split.TRAIN);
    assertEquals(12, train.size());
    assertArrayEquals(new int[] {28, 28, 1}, train.exampleShape());
    assertEquals(10, train.numClasses());
    assertEquals(3, train.labels()[3]);
    assertEquals(1, train.labels()[11]);
    // Pixel j of image i was written as (7 i + j) mod 256 and must come back scaled by 1/255.
    assertEquals(((7 * 4 + 100) & 0xff) / 255f, train.features()[4 * 784 + 100], 0f);
    assertEquals(((7 * 11 + 783) & 0xff) / 255f, train.features()[11 * 784 + 783], 0f);
    Dataset test = Mnist.load(dir, Split.TEST);
    assertEquals(5, test.size());
    assertArrayEquals(new int[] {0, 1, 2, 3, 4}, test.labels());
  }

  @Test
  void acceptsDottedMirrorNames() throws IOException {
    TestFiles.write(dir.resolve("t10k-images.idx3-ubyte"), TestFiles.idxImages(0x803, 2, 28, 28, TestFiles.pixels(2, 784)), false);
    TestFiles.write(dir.resolve("t10k-labels.idx1-ubyte"), TestFiles.idxLabels(0x801, 2, TestFiles.labels(2)), false);
    assertEquals(2, Mnist.load(dir, Split.TEST).size());
  }

  @Test
  void nonSquareImagesKeepTheirShape() throws IOException {
    Path f = dir.resolve("img");
    TestFiles.write(f, TestFiles.idxImages(0x803, 3, 2, 5, TestFiles.pixels(3, 10)), true);
    IdxReader.Images im = IdxReader.readImages(f);
    assertEquals(3, im.count());
    assertEquals(2, im.rows());
    assertEquals(5, im.cols());
    assertEquals(30, im.pixels().length);
  }

  @Test
  void wrongMagicNamesFileExpectedAndFoundInHex() throws IOException {
    Path f = dir.resolve("images");
    // A label file where images are expected.
    TestFiles.write(f, TestFiles.idxLabels(0x801, 2, TestFiles.labels(2)), false);
    DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readImages(f));
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("expected 0x00000803"), e.getMessage());
    assertTrue(e.getMessage().contains("found 0x00000801"), e.getMessage());
    assertEquals(f, e.file());
  }

  @Test
  void wrongMagicInGzippedLabels() throws IOException {
    Path f = dir.resolve("labels.gz");
    TestFiles.write(f, TestFiles.idxLabels(0x12345678, 2, TestFiles.labels(2)), true);
    DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readLabels(f, 10));
    assertTrue(e.getMessage().contains("expected 0x00000801") && e.getMessage().contains("found 0x12345678"), e.getMessage());
  }

  @ParameterizedTest(name = "gzip={0}")
  @ValueSource(booleans = {false, true})
  void truncatedImagesReportExpectedAndActualBytes(boolean gzip) throws IOException {
    Path f = dir.resolve("img");
    byte[] full = TestFiles.idxImages(0x803, 3, 28, 28, TestFiles.pixels(3, 784));
    TestFiles.write(f, TestFiles.head(full, full.length - 100), gzip);
    DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readImages(f));
    assertTrue(e.getMessage().contains("expected " + full.length + " bytes, found " + (full.length - 100)), e.getMessage());
  }

  @Test
  void truncatedHeader() throws IOException {
    Path f = dir.resolve("img");
    TestFiles.write(f, TestFiles.head(TestFiles.idxImages(0x803, 3, 28, 28, new byte[0]), 10), false);
    DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readImages(f));
    assertTrue(e.getMessage().contains("truncated header: expected 16 bytes, found 10"), e.getMessage());
  }

  @Test
  void truncatedLabels() throws IOException {
    Path f = dir.resolve("lab");
    TestFiles.write(f, TestFiles.head(TestFiles.idxLabels(0x801, 10, TestFiles.labels(10)), 15), false);
    DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readLabels(f, 10));
    assertTrue(e.getMessage().contains("expected 18 bytes, found 15"), e.getMessage());
  }

  @Test
  void trailingDataIsRejected() throws IOException {
    Path f = dir.resolve("lab");
    TestFiles.write(f, TestFiles.idxLabels(0x801, 3, TestFiles.labels(5)), false);
    DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readLabels(f, 10));
    assertTrue(e.getMessage().contains("trailing data"), e.getMessage());
  }

  @Test
  void truncatedGzipStream() throws IOException {
    Path f = dir.resolve("img.gz");
    TestFiles.write(f, TestFiles.idxImages(0x803, 20, 28, 28, TestFiles.pixels(20, 784)), true);
    byte[] gz = Files.readAllBytes(f);
    Files.write(f, TestFiles.head(gz, gz.length / 2));
    DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readImages(f));
    assertTrue(e.getMessage().contains("gzip"), e.getMessage());
  }

  @Test
  void countMismatchNamesBothFiles() throws IOException {
    TestFiles.mnistDir(dir, 6, 2, false);
    Path labels = dir.resolve("train-labels-idx1-ubyte");
    TestFiles.write(labels, TestFiles.idxLabels(0x801, 5, TestFiles.labels(5)), false);
    DataFormatException e = assertThrows(DataFormatException.class, () -> FashionMnist.load(dir, Split.TRAIN));
    assertTrue(e.getMessage().contains("6 images"), e.getMessage());
    assertTrue(e.getMessage().contains(labels + " holds 5 labels"), e.getMessage());
  }

  @Test
  void labelOutOfRange() throws IOException {
    Path f = dir.resolve("lab");
    TestFiles.write(f, TestFiles.idxLabels(0x801, 3, new byte[] {1, 10, 2}), false);
    DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readLabels(f, 10));
    assertTrue(e.getMessage().contains("label 10 of example 1 is outside [0, 10)"), e.getMessage());
  }

  @Test
  void missingFilesAndDirectories() throws IOException {
    DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readImages(dir.resolve("nope")));
    assertTrue(e.getMessage().contains("nope: file not found"), e.getMessage());
    DataFormatException d = assertThrows(DataFormatException.class, () -> Mnist.load(dir.resolve("absent"), Split.TRAIN));
    assertTrue(d.getMessage().contains("absent"), d.getMessage());
    TestFiles.write(dir.resolve("train-images-idx3-ubyte.gz"), TestFiles.idxImages(0x803, 1, 28, 28, new byte[784]), true);
    DataFormatException l = assertThrows(DataFormatException.class, () -> Mnist.load(dir, Split.TRAIN));
    assertTrue(l.getMessage().contains("train-labels-idx1-ubyte.gz: file not found"), l.getMessage());
  }

  @Test
  void installedFashionMnistLoadsQuickly() {
    Assumptions.assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR),
        "Fashion-MNIST not installed at " + FashionMnist.DEFAULT_DIR + " (apt-get install dataset-fashion-mnist)");
    long t0 = System.nanoTime();
    Dataset train = FashionMnist.load(Split.TRAIN);
    double seconds = (System.nanoTime() - t0) / 1e9;
    Dataset test = FashionMnist.load(Split.TEST);
    assertEquals(60000, train.size());
    assertEquals(10000, test.size());
    assertArrayEquals(new int[] {28, 28, 1}, train.exampleShape());
    assertEquals(10, train.numClasses());
    // Fashion-MNIST is exactly balanced: 6000 and 1000 images per class.
    for (int c = 0; c < 10; c++) {
      assertEquals(6000, train.classCounts()[c]);
      assertEquals(1000, test.classCounts()[c]);
    }
    float min = Float.MAX_VALUE;
    float max = -Float.MAX_VALUE;
    for (float v : train.features()) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    assertEquals(0f, min);
    assertEquals(1f, max);
    // Generous bound on a shared 2-core machine; a per-byte stream read takes far longer.
    assertTrue(seconds < 10, "reading 60000 images took " + seconds + " s");
  }
}
